from . import adv_kpi_invoice_report

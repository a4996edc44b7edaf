from . import adv_kpi_delivery_report

from . import adv_kpi_snapshot

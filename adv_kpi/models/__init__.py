from . import (
    account_move,
    adv_kpi_signal,
    adv_kpi_snapshot,
    adv_work_queue,
    res_company,
    res_config_settings,
    sale_order,
)

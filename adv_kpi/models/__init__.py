from . import account_move, adv_kpi_signal, adv_kpi_snapshot, res_company, res_config_settings, sale_order

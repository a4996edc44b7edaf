from . import (
    account_move,
    adv_cash_forecast,
    adv_einvoice_import_log,
    adv_einvoice_platform,
    adv_einvoice_status,
    adv_einvoice_status_code,
    res_company,
    res_config_settings,
)

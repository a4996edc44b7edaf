from . import (
    account_move,
    account_partial_reconcile,
    adv_dispute,
    adv_einvoice_import_log,
    adv_einvoice_platform,
    adv_einvoice_status,
    adv_einvoice_status_code,
    adv_einvoice_status_outgoing,
    res_company,
    res_config_settings,
)

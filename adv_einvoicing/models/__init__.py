from . import (
    account_edi_xml_cii,
    account_move,
    adv_einvoice_auth_failure,
    adv_einvoice_import_log,
    adv_einvoice_platform,
    adv_einvoice_status,
    adv_einvoice_status_code,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)

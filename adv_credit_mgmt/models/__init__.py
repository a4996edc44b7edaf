from . import (
    account_move,
    adv_credit_exposure,
    adv_credit_override,
    adv_dispute,
    adv_dispute_committee,
    adv_dunning_level,
    adv_dunning_reminder,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
)

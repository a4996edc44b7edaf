from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    adv_einvoicing_enabled = fields.Boolean(related="company_id.adv_einvoicing_enabled", readonly=False)
    adv_einvoice_react_rejected = fields.Boolean(
        related="company_id.adv_einvoice_react_rejected", readonly=False
    )
    adv_einvoice_react_dispute = fields.Boolean(
        related="company_id.adv_einvoice_react_dispute", readonly=False
    )
    adv_einvoice_forecast_approved = fields.Boolean(
        related="company_id.adv_einvoice_forecast_approved", readonly=False
    )
    adv_einvoice_react_suspended = fields.Boolean(
        related="company_id.adv_einvoice_react_suspended", readonly=False
    )

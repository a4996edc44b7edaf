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
    adv_einvoice_mention_check = fields.Selection(
        related="company_id.adv_einvoice_mention_check", readonly=False
    )
    adv_vat_on_debits = fields.Boolean(related="company_id.adv_vat_on_debits", readonly=False)
    adv_einvoice_declare_collections = fields.Boolean(
        related="company_id.adv_einvoice_declare_collections", readonly=False
    )
    adv_einvoice_declare_delay = fields.Integer(
        related="company_id.adv_einvoice_declare_delay", readonly=False
    )
    adv_einvoice_dispute_answer = fields.Selection(
        related="company_id.adv_einvoice_dispute_answer", readonly=False
    )

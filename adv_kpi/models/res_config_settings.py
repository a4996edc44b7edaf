from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    adv_kpi_day_count = fields.Selection(related="company_id.adv_kpi_day_count", readonly=False)
    adv_kpi_billing_deadline_days = fields.Integer(
        related="company_id.adv_kpi_billing_deadline_days", readonly=False
    )
    adv_kpi_delay_rise_red = fields.Float(related="company_id.adv_kpi_delay_rise_red", readonly=False)
    adv_kpi_late_reminder_red = fields.Integer(related="company_id.adv_kpi_late_reminder_red", readonly=False)
    adv_kpi_dso_red = fields.Float(related="company_id.adv_kpi_dso_red", readonly=False)
    adv_kpi_credit_rise_red = fields.Float(related="company_id.adv_kpi_credit_rise_red", readonly=False)
    adv_kpi_load_red = fields.Integer(related="company_id.adv_kpi_load_red", readonly=False)

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    adv_credit_opening_check = fields.Selection(related="company_id.adv_credit_opening_check", readonly=False)
    adv_credit_order_check = fields.Selection(related="company_id.adv_credit_order_check", readonly=False)
    adv_credit_overdue_check = fields.Selection(related="company_id.adv_credit_overdue_check", readonly=False)
    adv_credit_overdue_amount = fields.Monetary(
        related="company_id.adv_credit_overdue_amount", readonly=False
    )
    adv_credit_overdue_days = fields.Integer(related="company_id.adv_credit_overdue_days", readonly=False)
    adv_credit_invoice_check = fields.Selection(related="company_id.adv_credit_invoice_check", readonly=False)
    adv_credit_controller_id = fields.Many2one(related="company_id.adv_credit_controller_id", readonly=False)
    adv_credit_work_block = fields.Boolean(related="company_id.adv_credit_work_block", readonly=False)
    adv_credit_cap_insured = fields.Boolean(related="company_id.adv_credit_cap_insured", readonly=False)
    adv_credit_grace_days = fields.Integer(related="company_id.adv_credit_grace_days", readonly=False)
    adv_credit_exclude_disputed = fields.Boolean(
        related="company_id.adv_credit_exclude_disputed", readonly=False
    )
    adv_late_penalty_rate = fields.Char(related="company_id.adv_late_penalty_rate", readonly=False)
    adv_recovery_indemnity = fields.Monetary(related="company_id.adv_recovery_indemnity", readonly=False)
    adv_dispute_sla_commercial = fields.Integer(
        related="company_id.adv_dispute_sla_commercial", readonly=False
    )
    adv_dispute_sla_billing = fields.Integer(related="company_id.adv_dispute_sla_billing", readonly=False)
    adv_dispute_sla_delivery = fields.Integer(related="company_id.adv_dispute_sla_delivery", readonly=False)
    adv_dispute_sla_financial = fields.Integer(related="company_id.adv_dispute_sla_financial", readonly=False)

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    adv_periods_ahead = fields.Integer(related="company_id.adv_periods_ahead", readonly=False)
    adv_submission_workday = fields.Integer(related="company_id.adv_submission_workday", readonly=False)
    adv_validation_workday = fields.Integer(related="company_id.adv_validation_workday", readonly=False)
    adv_customer_validation_workday = fields.Integer(
        related="company_id.adv_customer_validation_workday", readonly=False
    )
    adv_invoicing_workday = fields.Integer(related="company_id.adv_invoicing_workday", readonly=False)
    adv_close_workday = fields.Integer(related="company_id.adv_close_workday", readonly=False)
    adv_timesheet_collection = fields.Boolean(related="company_id.adv_timesheet_collection", readonly=False)
    adv_reminder_days_before = fields.Integer(related="company_id.adv_reminder_days_before", readonly=False)
    adv_reminder_days_after = fields.Integer(related="company_id.adv_reminder_days_after", readonly=False)
    adv_reminder_escalation_days = fields.Integer(
        related="company_id.adv_reminder_escalation_days", readonly=False
    )
    adv_unbilled_escalation_days = fields.Integer(
        related="company_id.adv_unbilled_escalation_days", readonly=False
    )
    adv_unbilled_manager_id = fields.Many2one(related="company_id.adv_unbilled_manager_id", readonly=False)
    adv_unbilled_finance_id = fields.Many2one(related="company_id.adv_unbilled_finance_id", readonly=False)
    adv_accrual_entry = fields.Boolean(related="company_id.adv_accrual_entry", readonly=False)
    adv_accrual_journal_id = fields.Many2one(related="company_id.adv_accrual_journal_id", readonly=False)
    adv_fae_account_id = fields.Many2one(related="company_id.adv_fae_account_id", readonly=False)
    adv_pca_account_id = fields.Many2one(related="company_id.adv_pca_account_id", readonly=False)
    adv_accrual_income_account_id = fields.Many2one(
        related="company_id.adv_accrual_income_account_id", readonly=False
    )

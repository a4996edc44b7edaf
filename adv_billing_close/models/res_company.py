from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Day counts and delays of the billing close: none of them can be negative.
BILLING_DAY_FIELDS = (
    "adv_periods_ahead",
    "adv_submission_workday",
    "adv_validation_workday",
    "adv_customer_validation_workday",
    "adv_invoicing_workday",
    "adv_close_workday",
    "adv_reminder_days_before",
    "adv_reminder_days_after",
    "adv_reminder_escalation_days",
    "adv_unbilled_escalation_days",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Calendar of the monthly close: deadlines are working days of the month after the period
    # (0 = last working day of the period itself), counted on the company's working schedule.
    adv_periods_ahead = fields.Integer(string="Billing Periods Ahead", default=3)
    adv_submission_workday = fields.Integer(string="Timesheet Submission Deadline", default=0)
    adv_validation_workday = fields.Integer(string="Manager Validation Deadline", default=1)
    adv_customer_validation_workday = fields.Integer(string="Customer Validation Deadline", default=2)
    adv_invoicing_workday = fields.Integer(string="Invoicing Deadline", default=3)
    adv_close_workday = fields.Integer(string="Close Date", default=5)
    # Timesheet collection is off by default: no submission, reminder or lock until a company asks.
    adv_timesheet_collection = fields.Boolean(string="Collect Monthly Timesheets")
    adv_reminder_days_before = fields.Integer(string="Reminder Days Before Deadline", default=2)
    adv_reminder_days_after = fields.Integer(string="Late Reminder Days After Deadline", default=1)
    adv_reminder_escalation_days = fields.Integer(string="Escalate to Manager After (days late)", default=3)
    adv_unbilled_escalation_days = fields.Integer(string="Days per Escalation Level", default=3)
    adv_unbilled_manager_id = fields.Many2one("res.users", string="ADV Manager for Escalations")
    adv_unbilled_finance_id = fields.Many2one("res.users", string="Finance Contact for Escalations")
    adv_accrual_entry = fields.Boolean(string="Post FAE/PCA Accrual Entries")
    adv_accrual_journal_id = fields.Many2one(
        "account.journal", string="Accrual Journal", domain="[('type', '=', 'general')]", check_company=True
    )
    adv_fae_account_id = fields.Many2one("account.account", string="FAE Account", check_company=True)
    adv_pca_account_id = fields.Many2one("account.account", string="PCA Account", check_company=True)
    adv_accrual_income_account_id = fields.Many2one(
        "account.account", string="Accrual Income Account", check_company=True
    )

    @api.constrains(*BILLING_DAY_FIELDS)
    def _check_adv_billing_days(self):
        for company in self:
            negative = [fname for fname in BILLING_DAY_FIELDS if company[fname] < 0]
            if negative:
                raise ValidationError(
                    self.env._(
                        "The billing close settings count days and months: %(fields)s cannot be "
                        "negative (0 means the last working day of the period for a deadline, no delay "
                        "for a reminder).",
                        fields=", ".join(self._fields[f]._description_string(self.env) for f in negative),
                    )
                )

from odoo import api, fields, models
from odoo.exceptions import ValidationError

BLOCK_SEVERITY = [("none", "Off"), ("warning", "Warn"), ("block", "Block")]


class ResCompany(models.Model):
    _inherit = "res.company"

    # Every block is off by default: installing the module changes nothing a company did not ask for.
    adv_credit_opening_check = fields.Selection(
        BLOCK_SEVERITY, string="Account Opening Check", default="none", required=True
    )
    adv_credit_order_check = fields.Selection(
        BLOCK_SEVERITY, string="Order Acceptance Check", default="none", required=True
    )
    adv_credit_overdue_check = fields.Selection(
        BLOCK_SEVERITY, string="Overdue Check", default="none", required=True
    )
    adv_credit_overdue_amount = fields.Monetary(
        string="Overdue Amount Tolerance", currency_field="currency_id"
    )
    adv_credit_overdue_days = fields.Integer(string="Overdue Age Tolerance (days)")
    adv_credit_invoice_check = fields.Selection(
        BLOCK_SEVERITY, string="Invoice Posting Check", default="none", required=True
    )
    adv_credit_controller_id = fields.Many2one(
        "res.users",
        string="Credit Controller",
        help="Receives credit-hold and formal-notice activities. Empty: the first Credit Controller.",
    )
    adv_credit_work_block = fields.Boolean(string="Block Start of Work")
    adv_credit_cap_insured = fields.Boolean(string="Cap Limit by Insured Limit")
    adv_credit_grace_days = fields.Integer(string="Overdue Grace Days")
    adv_credit_exclude_disputed = fields.Boolean(string="Exclude Disputed Amounts")
    adv_late_penalty_rate = fields.Char(
        string="Late-Payment Penalty Rate", default="ECB refinancing rate + 10 points", translate=True
    )
    adv_recovery_indemnity = fields.Monetary(
        string="Fixed Recovery Indemnity", currency_field="currency_id", default=40.0
    )
    adv_dispute_sla_commercial = fields.Integer(string="SLA Commercial (days)", default=30)
    adv_dispute_sla_billing = fields.Integer(string="SLA Billing Error (days)", default=10)
    adv_dispute_sla_delivery = fields.Integer(string="SLA Delivery/Quality (days)", default=20)
    adv_dispute_sla_financial = fields.Integer(string="SLA Financial (days)", default=15)

    # ------------------------------------------------------------ constraint methods
    @api.constrains(
        "adv_credit_overdue_amount",
        "adv_credit_overdue_days",
        "adv_credit_grace_days",
        "adv_recovery_indemnity",
        "adv_dispute_sla_commercial",
        "adv_dispute_sla_billing",
        "adv_dispute_sla_delivery",
        "adv_dispute_sla_financial",
    )
    def _check_adv_credit_settings(self):
        fnames = (
            "adv_credit_overdue_amount",
            "adv_credit_overdue_days",
            "adv_credit_grace_days",
            "adv_recovery_indemnity",
            "adv_dispute_sla_commercial",
            "adv_dispute_sla_billing",
            "adv_dispute_sla_delivery",
            "adv_dispute_sla_financial",
        )
        for company in self:
            negative = [self._fields[f]._description_string(self.env) for f in fnames if company[f] < 0]
            if negative:
                raise ValidationError(
                    self.env._(
                        "%(settings)s of %(company)s cannot be negative: enter 0 or more (days or amount).",
                        settings=", ".join(negative),
                        company=company.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    def write(self, vals):
        res = super().write(vals)
        # Grace days and the disputed-amount setting change every bucket of the company's customers.
        if {"adv_credit_grace_days", "adv_credit_exclude_disputed"} & set(vals):
            self.env["adv.credit.exposure"]._refresh()
        return res

    def _adv_credit_control_on(self):
        """Whether any of the suite's credit checks is switched on: then the credit limit they decide on
        is the Credit Manager's to set."""
        self.ensure_one()
        return (
            self._adv_credit_checks_active()
            or self.adv_credit_invoice_check != "none"
            or self.adv_credit_work_block
        )

    def _adv_credit_checks_active(self):
        self.ensure_one()
        return (
            self.adv_credit_order_check != "none"
            or self.adv_credit_opening_check != "none"
            or self.adv_credit_overdue_check != "none"
        )

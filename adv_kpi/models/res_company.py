from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    adv_kpi_day_count = fields.Selection(
        [("30", "30-day month"), ("365", "365/12 days a month")],
        string="Day-count Convention",
        default="30",
        required=True,
        help="Days in a month when turning monthly revenue into daily revenue for the cash tied up.",
    )
    adv_kpi_billing_deadline_days = fields.Integer(
        string="Invoicing Deadline (days)",
        default=5,
        help="Days after the work's reference date (period end, delivery, milestone) within which an invoice "
        "counts as on time for the billing OTIF when no billing period gives an invoicing deadline.",
    )
    adv_kpi_delay_rise_red = fields.Float(
        string="Billing Delay Rise (red, days)",
        default=2.0,
        help="Red when the average billing delay of the last complete month exceeds the one three months "
        "earlier by at least this many days.",
    )
    adv_kpi_late_reminder_red = fields.Integer(
        string="Late Reminders (red)",
        default=10,
        help="Red when at least this many invoices have a payment reminder due and not sent.",
    )
    adv_kpi_dso_red = fields.Float(
        string="DSO Threshold (red, days)",
        default=45.0,
        help="Red when the simple DSO of the last complete month reaches this number of days.",
    )
    adv_kpi_credit_rise_red = fields.Float(
        string="Credit Notes and Disputes Rise (red, points)",
        default=2.0,
        help="Red when the rate of credit notes and disputes of the last complete month exceeds the average "
        "of the three months before by at least this many percentage points.",
    )
    adv_kpi_load_red = fields.Integer(
        string="Team Load per Agent (red)",
        default=25,
        help="Red when an ADV agent has at least this many pre-invoice lines to do and overdue activities.",
    )
    adv_kpi_signal_ids = fields.One2many("adv.kpi.signal", "company_id", string="Early-warning Signals")
    adv_kpi_red_count = fields.Integer(string="Red Signals", compute="_compute_adv_kpi_red_count")

    # ------------------------------------------------------------------ compute
    @api.depends("adv_kpi_signal_ids.colour")
    def _compute_adv_kpi_red_count(self):
        groups = self.env["adv.kpi.signal"]._read_group(
            [("company_id", "in", self.ids), ("colour", "=", "red")], ["company_id"], ["__count"]
        )
        counts = {company.id: count for company, count in groups}
        for company in self:
            company.adv_kpi_red_count = counts.get(company.id, 0)

    # ------------------------------------------------------------------ constraints
    @api.constrains(
        "adv_kpi_billing_deadline_days",
        "adv_kpi_delay_rise_red",
        "adv_kpi_late_reminder_red",
        "adv_kpi_dso_red",
        "adv_kpi_credit_rise_red",
        "adv_kpi_load_red",
    )
    def _check_adv_kpi_thresholds(self):
        for company in self:
            values = [
                company.adv_kpi_billing_deadline_days,
                company.adv_kpi_delay_rise_red,
                company.adv_kpi_late_reminder_red,
                company.adv_kpi_dso_red,
                company.adv_kpi_credit_rise_red,
                company.adv_kpi_load_red,
            ]
            if any(value < 0 for value in values):
                raise ValidationError(
                    self.env._(
                        "KPI thresholds and delays of %s cannot be negative: enter zero or a positive "
                        "number.",
                        company.name,
                    )
                )

    # ------------------------------------------------------------------ actions
    def action_adv_kpi_refresh_signals(self):
        self.env["adv.kpi.signal"]._refresh(self)
        return True

    def _adv_kpi_action_health_board(self):
        """The current company's signals under the 'two or more red' banner."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("ADV Health"),
            "res_model": "res.company",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("adv_kpi.res_company_view_form_adv_kpi_board").id, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ business
    def _adv_kpi_days_per_month(self):
        """Days of a month in the company's day-count convention (cash tied up)."""
        self.ensure_one()
        return 30.0 if self.adv_kpi_day_count == "30" else 365.0 / 12.0

from odoo import api, fields, models

STEPS = [
    ("submission_deadline", "submission", 1),
    ("validation_deadline", "validation", 2),
    ("customer_validation_deadline", "customer_validation", 3),
    ("invoicing_deadline", "invoicing", 4),
    ("close_date", "close", 5),
]


class AdvBillingCalendar(models.Model):
    _name = "adv.billing.calendar"
    _description = "Billing Close Calendar"
    _auto = False
    _order = "date"

    period_id = fields.Many2one("adv.billing.period", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    step = fields.Selection(
        [
            ("submission", "Timesheet Submission Deadline"),
            ("validation", "Manager Validation Deadline"),
            ("customer_validation", "Customer Validation Deadline"),
            ("invoicing", "Invoicing Deadline"),
            ("close", "Close"),
        ],
        readonly=True,
    )
    date = fields.Date(readonly=True)
    name = fields.Char(readonly=True)

    @api.depends("name", "step")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The calendar titles each event by its display name: the period and the step, in the reader's
        # language.
        steps = dict(self._fields["step"]._description_selection(self.env))
        for event in self:
            event.display_name = self.env._(
                "%(period)s: %(step)s", period=event.name, step=steps.get(event.step, "")
            )

    @property
    def _table_query(self):
        # One row per dated step of each period; ids stay stable (period id * 10 + step number).
        parts = [
            f"SELECT p.id * 10 + {number} AS id, p.id AS period_id, p.company_id, '{step}' AS step, "
            f"p.{column} AS date, p.name AS name FROM adv_billing_period p WHERE p.{column} IS NOT NULL"
            for column, step, number in STEPS
        ]
        return " UNION ALL ".join(parts)

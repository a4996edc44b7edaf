from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date, formatLang

from odoo.addons.adv_order_control.tools import reader_env

from .adv_kpi_snapshot import RATIO_BASES

SIGNAL_CODES = [
    ("billing_delay", "Invoices go out later"),
    ("late_reminders", "Payment reminders not done on time"),
    ("dso", "DSO above threshold"),
    ("credit_notes", "Credit notes or disputes rising"),
    ("team_load", "ADV team overloaded"),
]
# Red threshold of each signal: a field of res.company (settings).
THRESHOLD_FIELDS = {
    "billing_delay": "adv_kpi_delay_rise_red",
    "late_reminders": "adv_kpi_late_reminder_red",
    "dso": "adv_kpi_dso_red",
    "credit_notes": "adv_kpi_credit_rise_red",
    "team_load": "adv_kpi_load_red",
}
AMBER_RATIO = 0.8
# Signals that count items today (the others read the monthly snapshot rows).
COUNT_CODES = ("late_reminders", "team_load")


class AdvKpiSignal(models.Model):
    _name = "adv.kpi.signal"
    _description = "ADV Early-warning Signal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "company_id, sequence"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(SIGNAL_CODES, required=True, readonly=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    value = fields.Float(readonly=True, digits=(16, 1))
    has_value = fields.Boolean(
        string="Meaningful",
        readonly=True,
        default=True,
        help="Off when the month has nothing to measure (no credit sales for the DSO, no invoices for "
        "a rate): the signal then shows no value and stays green.",
    )
    is_count = fields.Boolean(readonly=True, help="The value is a number of items, shown without decimals.")
    count_value = fields.Integer(string="Count", compute="_compute_count_value")
    month = fields.Date(
        readonly=True,
        help="Month of the company's KPI snapshot row the value is read from (the last complete month); "
        "empty when the value is counted today.",
    )
    month_label = fields.Char(string="Month of the Figure", compute="_compute_month_label")
    unit = fields.Char(compute="_compute_unit")
    red_threshold = fields.Float(readonly=True, digits=(16, 1))
    amber_threshold = fields.Float(readonly=True, digits=(16, 1))
    colour = fields.Selection(
        [("green", "Green"), ("amber", "Amber"), ("red", "Red")],
        default="green",
        required=True,
        readonly=True,
        tracking=True,
    )
    explanation = fields.Text(readonly=True, translate=True)
    computed_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("company_code_uniq", "unique(company_id, code)", "One signal of each kind per company."),
    ]

    # ------------------------------------------------------------------ compute
    @api.depends("value")
    def _compute_count_value(self):
        for signal in self:
            signal.count_value = round(signal.value)

    @api.depends("code")
    @api.depends_context("lang")
    def _compute_unit(self):
        units = self._units()
        for signal in self:
            signal.unit = units.get(signal.code, "")

    @api.depends("month")
    @api.depends_context("lang")
    def _compute_month_label(self):
        for signal in self:
            signal.month_label = signal.month and format_date(self.env, signal.month, date_format="MMMM y")

    # ------------------------------------------------------------------ actions
    def action_refresh(self):
        self._refresh(self.company_id)
        return True

    # ------------------------------------------------------------------ business
    @api.model
    def _refresh(self, companies):
        """Recompute the five signals of ``companies``; a signal turning red gives the ADV Managers an
        activity. Thresholds are the company settings; amber starts at 80 % of red; a red threshold of
        zero switches the signal off."""
        now = fields.Datetime.now()
        for company in companies:
            values = self._signal_values(company)
            month = self._last_complete_month()
            existing = {
                signal.code: signal for signal in self.sudo().search([("company_id", "=", company.id)])
            }
            for sequence, (code, _label) in enumerate(SIGNAL_CODES, start=1):
                value = values[code]
                red = company[THRESHOLD_FIELDS[code]]
                colour = "green" if value is None else self._colour(value, red)
                vals = {
                    "value": value or 0.0,
                    "has_value": value is not None,
                    "is_count": code in COUNT_CODES,
                    "month": False if code in COUNT_CODES else month,
                    "red_threshold": red,
                    "amber_threshold": red * AMBER_RATIO,
                    "colour": colour,
                    "computed_on": now,
                }
                signal = existing.get(code)
                was_red = signal and signal.colour == "red"
                if signal:
                    signal.write(vals)
                else:
                    signal = self.sudo().create(
                        dict(vals, code=code, name=code, company_id=company.id, sequence=sequence)
                    )
                    signal._set_texts()
                if colour == "red" and not was_red:
                    signal._notify_managers()

    def _set_texts(self):
        """Name and explanation in every installed language: a signal is made by a cron, read by
        people in theirs."""
        for lang, _name in self.env["res.lang"].get_installed():
            env = self.with_context(lang=lang).env
            labels = dict(self._fields["code"]._description_selection(env))
            explanations = self.with_env(env)._explanations()
            for signal in self.with_env(env):
                signal.write({"name": labels[signal.code], "explanation": explanations[signal.code]})

    def _format_value(self, value=None):
        """The value (or ``value``) as the reader reads numbers: counts whole, the others to one decimal."""
        self.ensure_one()
        value = self.value if value is None else value
        if self.is_count:
            return formatLang(self.env, value, digits=0)
        return formatLang(self.env, value, digits=1)

    @api.model
    def _units(self):
        return {
            "billing_delay": self.env._("days"),
            "late_reminders": self.env._("invoices"),
            "dso": self.env._("days"),
            "credit_notes": self.env._("points"),
            "team_load": self.env._("items"),
        }

    @api.model
    def _colour(self, value, red):
        if red <= 0 or value < red * AMBER_RATIO:
            return "green"
        return "red" if value >= red else "amber"

    def _notify_managers(self):
        self.ensure_one()
        managers = self.env.ref("adv_order_control.group_adv_manager").users.filtered(
            lambda user: not user.share and self.company_id in user.company_ids and user.id != 1
        )
        for manager in managers:
            env = reader_env(self.env, manager)
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=env._("Early-warning signal red: %s", self.with_env(env).name),
                note=env._(
                    "%(signal)s is at %(value)s %(unit)s (red from %(red)s).",
                    signal=self.with_env(env).name,
                    value=self.with_env(env)._format_value(),
                    unit=self.with_env(env).unit,
                    red=self.with_env(env)._format_value(self.red_threshold),
                ),
            )

    @api.model
    def _explanations(self):
        return {
            "billing_delay": self.env._(
                "Average billing delay of the last complete month minus the one three months earlier."
            ),
            "late_reminders": self.env._(
                "Open customer invoices that reached a payment reminder level and have not received that "
                "reminder yet (not disputed, not excluded from reminders)."
            ),
            "dso": self.env._("Simple DSO of the last complete month (tax included)."),
            "credit_notes": self.env._(
                "Credit notes and disputes per 100 invoices of the last complete month (its credit-note rate "
                "plus its dispute rate) minus the average of the same rate over the three months before "
                "(months without invoices left out)."
            ),
            "team_load": self.env._(
                "Highest count, per ADV agent, of pre-invoice lines to do plus overdue activities."
            ),
        }

    @api.model
    def _last_complete_month(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    @api.model
    def _signal_values(self, company):
        """{code: value, or None when not meaningful} for ``company``. The monthly figures are
        the ratios stored on the company's snapshot rows (the ones the dashboard, the pivot and the
        export show), never recomputed here."""
        today = fields.Date.context_today(self)
        last = self._last_complete_month()
        Snapshot = self.env["adv.kpi.snapshot"]
        ratios = ["billing_delay", "dso_simple", "credit_note_rate", "dispute_rate"]
        months = {
            row["month"]: row
            for row in Snapshot.sudo().search_read(
                [
                    ("company_id", "=", company.id),
                    ("dimension", "=", "company"),
                    ("month", ">=", last - relativedelta(months=3)),
                    ("month", "<=", last),
                ],
                ["month", *ratios, *{RATIO_BASES[name] for name in ratios}],
            )
        }

        def ratio(month, name):
            row = months.get(month)
            return row[name] if row and row[RATIO_BASES[name]] else None

        def incident_rate(month):  # credit notes and disputes per 100 invoices
            if ratio(month, "credit_note_rate") is None:
                return None
            return ratio(month, "credit_note_rate") + ratio(month, "dispute_rate")

        delay = ratio(last, "billing_delay")
        delay_before = ratio(last - relativedelta(months=3), "billing_delay")
        incidents = incident_rate(last)
        # The three months before, as the pivot averages them: months without invoices left out.
        before = [
            rate for n in (1, 2, 3) if (rate := incident_rate(last - relativedelta(months=n))) is not None
        ]
        return {
            "billing_delay": delay - delay_before if None not in (delay, delay_before) else None,
            "late_reminders": float(self._late_reminder_count(company)),
            "dso": ratio(last, "dso_simple"),
            "credit_notes": (
                incidents - (sum(before) / len(before) if before else 0.0) if incidents is not None else None
            ),
            "team_load": float(self._max_agent_load(company, today)),
        }

    @api.model
    def _late_reminder_count(self, company):
        """Invoices whose payment reminder (adv_credit_mgmt's dunning levels) is due and not sent: the
        daily reminder cron leaves none, so what remains was missed."""
        invoices = self.env["adv.dunning.reminder"]._adv_due_not_sent()
        return len(invoices.filtered(lambda move: move.company_id == company))

    @api.model
    def _max_agent_load(self, company, today):
        agents = self.env.ref("adv_order_control.group_adv_user").users.filtered(
            lambda user: company in user.company_ids
        )
        if not agents:
            return 0
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(MAX(load), 0) FROM (
                       SELECT agent_id, COUNT(*) AS load FROM (
                           SELECT COALESCE(so.adv_agent_id, so.create_uid) AS agent_id
                             FROM adv_preinvoice pre
                             JOIN sale_order so ON so.id = pre.order_id
                            WHERE pre.company_id = %(company)s AND pre.state IN ('todo', 'escalated')
                           UNION ALL
                           SELECT act.user_id FROM mail_activity act
                            WHERE act.date_deadline < %(today)s AND act.active
                       ) items
                        WHERE agent_id = ANY(%(agents)s)
                     GROUP BY agent_id) loads""",
                company=company.id,
                today=today,
                agents=agents.ids,
            )
        )
        return self.env.cr.fetchone()[0]

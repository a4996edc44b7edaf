import logging
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.adv_order_control.tools import check_owned_fields, reader_env

_logger = logging.getLogger(__name__)

# The deadlines of the calendar, each the n-th working day after the period (company settings).
DEADLINE_WORKDAYS = {
    "submission_deadline": "adv_submission_workday",
    "validation_deadline": "adv_validation_workday",
    "customer_validation_deadline": "adv_customer_validation_workday",
    "invoicing_deadline": "adv_invoicing_workday",
    "close_date": "adv_close_workday",
}
# Written only by the period's buttons and jobs, after their group check: the state (closing and
# reopening are an ADV Manager's acts) and what the close records.
OWNED_FIELDS = dict.fromkeys(
    ("state", "announced_on", "closed_on", "closed_by_id", "accrual_move_id", "fae_total", "pca_total")
)
# Mail bookkeeping still allowed on a closed period.
MAIL_FIELDS = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}


_DEADLINE_COMPUTE = {
    "compute": "_compute_deadlines",
    "store": True,
    "readonly": False,
    "precompute": True,
}


class AdvBillingPeriod(models.Model):
    _name = "adv.billing.period"
    _description = "Billing Period"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, company_id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(required=True, index=True)
    date_end = fields.Date(required=True, index=True)
    # Computed from the end date and the company's settings, so that a period created by hand has its
    # calendar; the ADV team may move a deadline, not clear it (the daily jobs follow them).
    submission_deadline = fields.Date(
        string="Timesheet Submission Deadline", tracking=True, **_DEADLINE_COMPUTE
    )
    validation_deadline = fields.Date(
        string="Manager Validation Deadline", tracking=True, **_DEADLINE_COMPUTE
    )
    customer_validation_deadline = fields.Date(tracking=True, **_DEADLINE_COMPUTE)
    invoicing_deadline = fields.Date(tracking=True, index=True, **_DEADLINE_COMPUTE)
    close_date = fields.Date(tracking=True, **_DEADLINE_COMPUTE)
    state = fields.Selection(
        [("open", "Open"), ("collecting", "Collecting"), ("invoicing", "Invoicing"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    announced_on = fields.Datetime(readonly=True, copy=False)
    closed_on = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submission_ids = fields.One2many("adv.timesheet.submission", "period_id")
    preinvoice_ids = fields.One2many("adv.preinvoice", "period_id")
    accrual_ids = fields.One2many("adv.period.accrual", "period_id")
    accrual_move_id = fields.Many2one("account.move", readonly=True, copy=False, check_company=True)
    # Figures frozen at close for the KPIs (adv_kpi reads them).
    fae_total = fields.Monetary(string="FAE at Close", readonly=True, copy=False)
    pca_total = fields.Monetary(string="PCA at Close", readonly=True, copy=False)
    submission_count = fields.Integer(compute="_compute_counts")
    late_submission_count = fields.Integer(compute="_compute_counts")
    preinvoice_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "month_company_uniq",
            "unique(company_id, date_start)",
            "There is already a billing period for this month.",
        ),
        ("dates_check", "CHECK(date_start <= date_end)", "A billing period cannot end before it starts."),
    ]

    # ------------------------------------------------------------------ compute
    @api.depends("date_end", "company_id")
    def _compute_deadlines(self):
        for period in self:
            if not period.date_end or not period.company_id:
                continue
            for fname, setting in DEADLINE_WORKDAYS.items():
                period[fname] = self._workday(period.company_id, period.date_end, period.company_id[setting])

    def _compute_counts(self):
        today = fields.Date.context_today(self)
        sub_groups = self.env["adv.timesheet.submission"]._read_group(
            [("period_id", "in", self.ids)], ["period_id"], ["__count"]
        )
        late_groups = self.env["adv.timesheet.submission"]._read_group(
            [
                ("period_id", "in", self.ids),
                ("state", "in", ("draft", "sent_back")),
                ("period_id.submission_deadline", "<", today),
            ],
            ["period_id"],
            ["__count"],
        )
        pre_groups = self.env["adv.preinvoice"]._read_group(
            [("period_id", "in", self.ids)], ["period_id"], ["__count"]
        )
        subs = {period.id: count for period, count in sub_groups}
        late = {period.id: count for period, count in late_groups}
        pres = {period.id: count for period, count in pre_groups}
        for period in self:
            period.submission_count = subs.get(period.id, 0)
            period.late_submission_count = late.get(period.id, 0)
            period.preinvoice_count = pres.get(period.id, 0)

    # ------------------------------------------------------------------ constraints
    @api.constrains(*DEADLINE_WORKDAYS)
    def _check_deadlines(self):
        for period in self:
            missing = [fname for fname in DEADLINE_WORKDAYS if not period[fname]]
            if missing:
                raise ValidationError(
                    self.env._(
                        "Billing period %(period)s needs all its deadlines: set %(fields)s (they are "
                        "computed from the period end and the ADV settings when left as proposed).",
                        period=period.name,
                        fields=", ".join(self._fields[f]._description_string(self.env) for f in missing),
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A period starts open, whatever the form sends as the default state.
            owned = {key: value for key, value in vals.items() if (key, value) != ("state", "open")}
            check_owned_fields(self, owned, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        # The owned fields are written by the buttons themselves (closing, reopening).
        frozen = set(vals) - set(OWNED_FIELDS) - MAIL_FIELDS
        if frozen and self.filtered(lambda p: p.state == "closed"):
            raise UserError(
                self.env._("A closed billing period is frozen: reopen it (ADV Manager) before changing it.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.filtered(lambda p: p.state != "open" or p.preinvoice_ids or p.submission_ids):
            raise UserError(
                self.env._("Only an open billing period without submissions or board lines can be deleted.")
            )

    # ------------------------------------------------------------------ actions
    def action_start_collecting(self):
        self._check_adv_user()
        self.filtered(lambda p: p.state == "open")._set_state("collecting")
        self._generate_submissions()

    def action_start_invoicing(self):
        self._check_adv_user()
        self.filtered(lambda p: p.state in ("open", "collecting"))._set_state("invoicing")
        self.env["adv.preinvoice"]._build_board(self)

    def action_close(self):
        self._check_adv_manager()
        for period in self.filtered(lambda p: p.state != "closed"):
            period._close()

    def action_reopen(self):
        self._check_adv_manager()
        for period in self.filtered(lambda p: p.state == "closed"):
            period._reopen()

    def action_build_board(self):
        self._check_adv_user()
        self.env["adv.preinvoice"]._build_board(self)
        return self.action_view_preinvoices()

    def action_generate_submissions(self):
        self._check_adv_user()
        self._generate_submissions()
        return self.action_view_submissions()

    def action_remind_late(self):
        """One click: remind every late submitter of these periods (at most once a day each)."""
        self._check_adv_user()
        late = self.submission_ids.filtered("is_late")
        if not late:
            raise UserError(self.env._("Nobody is late on this period."))
        late._send_reminders()

    def action_announce(self):
        """Mail the calendar of the period to everyone concerned (employees with a submission, ADV team)."""
        self._check_adv_user()
        template = self.env.ref("adv_billing_close.mail_template_period_calendar")
        for period in self:
            partners = period._announcement_partners()
            if not partners:
                raise UserError(
                    self.env._(
                        "Nobody to announce period %s to: generate the timesheet submissions first.",
                        period.name,
                    )
                )
            period.message_post_with_source(
                template,
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment",
            )
        self.sudo().announced_on = fields.Datetime.now()

    def action_view_submissions(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "adv_billing_close.action_adv_timesheet_submission"
        )
        action["domain"] = [("period_id", "in", self.ids)]
        return action

    def action_view_preinvoices(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("adv_billing_close.action_adv_preinvoice")
        action["domain"] = [("period_id", "in", self.ids)]
        action["context"] = {"search_default_group_category": 1}
        return action

    # ------------------------------------------------------------------ business
    def _check_adv_manager(self):
        if not self.env.su and not self.env.user.has_group("adv_order_control.group_adv_manager"):
            raise AccessError(self.env._("Only an ADV Manager can close or reopen a billing period."))

    def _check_adv_user(self):
        if not self.env.su and not self.env.user.has_group("adv_order_control.group_adv_user"):
            raise AccessError(self.env._("Only the ADV team can run the billing calendar."))

    def _set_state(self, state, **values):
        """Move these periods to ``state``: only the buttons and jobs call it, after their group check."""
        return self.sudo().write(dict(values, state=state))

    def _announcement_partners(self):
        self.ensure_one()
        users = self.submission_ids.user_id | self.env.ref("adv_order_control.group_adv_user").users.filtered(
            lambda u: self.company_id in u.company_ids
        )
        return users.filtered(lambda u: not u.share).partner_id

    def _generate_submissions(self):
        self.env["adv.timesheet.submission"]._generate_for_periods(
            self.filtered(lambda p: p.company_id.adv_timesheet_collection)
        )

    def _close(self):
        """Freeze the period: store FAE/PCA per order, optionally post the accrual entry."""
        self.ensure_one()
        self.env["adv.period.accrual"]._store_for_period(self)
        self.invalidate_recordset(["accrual_ids"])
        self._set_state(
            "closed",
            closed_on=fields.Datetime.now(),
            closed_by_id=self.env.user.id,
            fae_total=sum(self.accrual_ids.mapped("fae_amount")),
            pca_total=sum(self.accrual_ids.mapped("pca_amount")),
        )
        if self.company_id.adv_accrual_entry:
            self.sudo().accrual_move_id = self.env["adv.period.accrual"]._create_accrual_entry(self)
        self.message_post(
            body=self.env._(
                "Period closed: FAE %(fae)s, PCA %(pca)s.", fae=self.fae_total, pca=self.pca_total
            )
        )

    def _reopen(self):
        """Unfreeze the period: its accrual entry is reversed, so that closing again does not count it
        twice; the figures are stored again at the next close."""
        self.ensure_one()
        move = self.accrual_move_id
        reversal = self.env["adv.period.accrual"]._cancel_accrual_entry(self) if move else move
        self._set_state("invoicing", closed_on=False, accrual_move_id=False)
        if move:
            body = self.env._(
                "Period reopened by %(user)s: accrual entry %(move)s cancelled by %(reversal)s; the figures "
                "will be stored again at close.",
                user=self.env.user.name,
                move=move.name,
                reversal=", ".join(reversal.mapped("name")),
            )
        else:
            body = self.env._(
                "Period reopened by %s: its figures will be stored again at close.", self.env.user.name
            )
        self.message_post(body=body)

    @api.model
    def _period_values(self, company, month_start):
        month_end = month_start + relativedelta(months=1, days=-1)
        name = month_start.strftime("%Y-%m")
        return {
            "name": name,
            "company_id": company.id,
            "date_start": month_start,
            "date_end": month_end,
            "submission_deadline": self._workday(company, month_end, company.adv_submission_workday),
            "validation_deadline": self._workday(company, month_end, company.adv_validation_workday),
            "customer_validation_deadline": self._workday(
                company, month_end, company.adv_customer_validation_workday
            ),
            "invoicing_deadline": self._workday(company, month_end, company.adv_invoicing_workday),
            "close_date": self._workday(company, month_end, company.adv_close_workday),
        }

    @api.model
    def _workday(self, company, month_end, number):
        """The number-th working day after month_end (0: last working day up to month_end)."""
        calendar = company.resource_calendar_id
        if number <= 0:
            day = datetime.combine(month_end, time(23, 59))
            found = calendar.plan_days(-1, day, compute_leaves=True) if calendar else day
        else:
            day = datetime.combine(month_end + relativedelta(days=1), time(0, 0))
            found = calendar.plan_days(number, day, compute_leaves=True) if calendar else False
            found = found or day + relativedelta(days=number - 1)
        return (found or day).date()

    @api.model
    def _cron_generate_periods(self):
        """Create the missing periods from this month to N months ahead, for every company."""
        today = fields.Date.context_today(self)
        first = today.replace(day=1)
        companies = self.env["res.company"].search([("active", "=", True)])
        existing = {
            (period.company_id.id, period.date_start)
            for period in self.search([("date_start", ">=", first), ("company_id", "in", companies.ids)])
        }
        vals_list = []
        for company in companies:
            for offset in range(max(company.adv_periods_ahead, 0) + 1):
                month_start = first + relativedelta(months=offset)
                if (company.id, month_start) not in existing:
                    vals_list.append(self._period_values(company, month_start))
        return self.create(vals_list)

    @api.model
    def _cron_advance_periods(self):
        """Move periods along their calendar: collecting a few days before the submission deadline,
        invoicing after the validation deadline (which also builds the board)."""
        today = fields.Date.context_today(self)
        incomplete = self.search(
            [("state", "!=", "closed"), *self._missing_deadline_domain()], order="date_start"
        )
        if incomplete:
            # Periods from before the deadlines were computed: leave them to the ADV team, run the others.
            _logger.warning(
                "Billing periods without all their deadlines, left as they are until the ADV team sets "
                "them: %s",
                ", ".join(incomplete.mapped(lambda p: f"{p.name} ({p.company_id.name})")),
            )
        to_collect = self.search(
            [
                ("state", "=", "open"),
                ("date_end", "<=", today + relativedelta(days=7)),
                ("id", "not in", incomplete.ids),
            ]
        )
        to_collect.filtered(
            lambda p: p.submission_deadline - relativedelta(days=p.company_id.adv_reminder_days_before)
            <= today
        ).action_start_collecting()
        self.search(
            [
                ("state", "in", ("open", "collecting")),
                ("validation_deadline", "<", today),
                ("id", "not in", incomplete.ids),
            ]
        ).action_start_invoicing()
        to_close = self.search([("state", "=", "invoicing"), ("close_date", "<=", today)])
        for period in to_close:
            # Closing stays a manager's decision: remind them once.
            if not period.activity_ids:
                manager = period.company_id.adv_unbilled_manager_id or self.env.ref("base.user_admin")
                period.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=period.close_date,
                    summary=reader_env(self.env, manager)._("Close billing period %s", period.name),
                    user_id=manager.id,
                )

    @api.model
    def _missing_deadline_domain(self):
        return ["|"] * (len(DEADLINE_WORKDAYS) - 1) + [(fname, "=", False) for fname in DEADLINE_WORKDAYS]

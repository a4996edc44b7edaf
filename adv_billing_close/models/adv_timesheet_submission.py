from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from odoo.addons.adv_order_control.tools import check_owned_fields, reader_env

# Fields only the submission's own actions change, after their group check (employees can write their
# own record, to post in its chatter): state and dates by Submit / Validate / Send Back, reminders by
# the reminder job. Who the employee and their manager are is never written through the submission.
OWNED_FIELDS = dict.fromkeys(
    (
        "state",
        "submitted_on",
        "validated_on",
        "validated_by_id",
        "sent_back_comment",
        "last_reminder_date",
        "reminder_count",
        "escalated_on",
        "lateness_days",
        "manager_user_id",
        "user_id",
        "company_id",
        "date_start",
        "date_end",
        "submission_deadline",
    )
) | {
    # The ADV team files a submission for the right person and month; employees never move theirs.
    "employee_id": "adv_order_control.group_adv_user",
    "period_id": "adv_order_control.group_adv_user",
}


class AdvTimesheetSubmission(models.Model):
    _name = "adv.timesheet.submission"
    _description = "Monthly Timesheet Submission"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_id desc, employee_id"
    _check_company_auto = True

    period_id = fields.Many2one(
        "adv.billing.period", required=True, ondelete="cascade", index=True, check_company=True
    )
    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True, string="Employee User")
    manager_user_id = fields.Many2one(
        "res.users", compute="_compute_manager_user_id", store=True, index=True, string="Manager"
    )
    date_start = fields.Date(related="period_id.date_start", store=True)
    date_end = fields.Date(related="period_id.date_end", store=True)
    submission_deadline = fields.Date(related="period_id.submission_deadline", store=True)
    state = fields.Selection(
        [
            ("draft", "To Submit"),
            ("submitted", "Submitted"),
            ("validated", "Validated"),
            ("sent_back", "Sent Back"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    expected_hours = fields.Float(compute="_compute_hours")
    logged_hours = fields.Float(compute="_compute_hours")
    missing_hours = fields.Float(compute="_compute_hours")
    submitted_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    validated_on = fields.Datetime(readonly=True, copy=False)
    validated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    sent_back_comment = fields.Text(readonly=True, copy=False, tracking=True)
    lateness_days = fields.Integer(
        compute="_compute_lateness",
        store=True,
        help="Days between the submission deadline and the submission.",
    )
    is_late = fields.Boolean(compute="_compute_is_late", search="_search_is_late")
    reminder_count = fields.Integer(readonly=True, copy=False)
    last_reminder_date = fields.Date(readonly=True, copy=False)
    escalated_on = fields.Date(readonly=True, copy=False)

    _sql_constraints = [
        (
            "period_employee_uniq",
            "unique(period_id, employee_id)",
            "An employee has one submission per period.",
        ),
    ]

    # ------------------------------------------------------------------ compute
    @api.depends("employee_id.parent_id.user_id")
    def _compute_manager_user_id(self):
        for submission in self:
            submission.manager_user_id = submission.employee_id.parent_id.user_id

    @api.depends("employee_id", "period_id")
    def _compute_display_name(self):
        for submission in self:
            submission.display_name = f"{submission.employee_id.name} - {submission.period_id.name}"

    def _compute_hours(self):
        logged = self._logged_hours_by_key()
        for submission in self:
            expected = submission._expected_hours()
            hours = logged.get((submission.employee_id.id, submission.period_id.id), 0.0)
            submission.expected_hours = expected
            submission.logged_hours = hours
            submission.missing_hours = max(expected - hours, 0.0)

    @api.depends("submitted_on", "submission_deadline")
    def _compute_lateness(self):
        for submission in self:
            if submission.submitted_on and submission.submission_deadline:
                delay = (submission.submitted_on.date() - submission.submission_deadline).days
                submission.lateness_days = max(delay, 0)
            else:
                submission.lateness_days = 0

    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for submission in self:
            submission.is_late = bool(
                submission.state in ("draft", "sent_back")
                and submission.submission_deadline
                and submission.submission_deadline < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the late flag."))
        domain = [
            ("state", "in", ("draft", "sent_back")),
            ("submission_deadline", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A new submission starts "To Submit": the default state the form sends is no decision.
            owned = {key: value for key, value in vals.items() if (key, value) != ("state", "draft")}
            check_owned_fields(self, owned, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_submit(self):
        for submission in self:
            if submission.state not in ("draft", "sent_back"):
                raise UserError(self.env._("%s is already submitted.", submission.display_name))
            if submission.user_id != self.env.user and not self._is_adv_user():
                raise AccessError(self.env._("Employees submit their own timesheets."))
        self._flow_write(
            {"state": "submitted", "submitted_on": fields.Datetime.now(), "sent_back_comment": False}
        )
        for submission in self.filtered("manager_user_id"):
            submission.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=submission.period_id.validation_deadline,
                summary=reader_env(self.env, submission.manager_user_id)._(
                    "Validate the timesheet of %s", submission.employee_id.name
                ),
                user_id=submission.manager_user_id.id,
            )

    def action_validate(self):
        self._check_can_review()
        if self.filtered(lambda s: s.state != "submitted"):
            raise UserError(self.env._("Only submitted timesheets can be validated."))
        self._flow_write(
            {"state": "validated", "validated_on": fields.Datetime.now(), "validated_by_id": self.env.uid}
        )
        # The reviewer may not be a timesheet officer: _check_can_review above is the access rule here.
        self._timesheet_lines().sudo().write({"adv_validated": True})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_send_back(self):
        self._check_can_review()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Back"),
            "res_model": "adv.submission.sendback.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_submission_ids": self.ids},
        }

    def _send_back(self, comment):
        self._check_can_review()
        if not comment or not comment.strip():
            raise UserError(
                self.env._("Say what the employee must correct before sending the timesheet back.")
            )
        if self.filtered(lambda s: s.state in ("draft", "sent_back")):
            raise UserError(self.env._("A timesheet that was not submitted cannot be sent back."))
        closed = self.period_id.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "The billing period %s is closed: an ADV Manager must reopen it before its timesheets "
                    "are sent back.",
                    ", ".join(closed.mapped("name")),
                )
            )
        # Sending back is the one way to correct validated hours: the lines are unlocked for the
        # employee and stay off the board until the timesheet is validated again.
        self._timesheet_lines().sudo().write({"adv_validated": False})
        self._flow_write({"state": "sent_back", "sent_back_comment": comment, "validated_on": False})
        for submission in self:
            submission.message_post(
                body=reader_env(self.env, submission.user_id)._("Timesheet sent back: %s", comment),
                partner_ids=submission.user_id.partner_id.ids,
            )

    def action_remind(self):
        self._check_adv_user()
        self._send_reminders()

    # ------------------------------------------------------------------ business
    def _flow_write(self, vals):
        """Write the workflow fields of OWNED_FIELDS; callers check who may act first."""
        return self.sudo().write(vals)

    def _is_adv_user(self):
        return self.env.su or self.env.user.has_group("adv_order_control.group_adv_user")

    def _check_adv_user(self):
        if not self._is_adv_user():
            raise AccessError(self.env._("Only the ADV team can send timesheet reminders."))

    def _check_can_review(self):
        if not self.env.su and self.filtered(lambda s: s.user_id == self.env.user):
            raise AccessError(self.env._("Nobody validates or sends back their own timesheet."))
        if self._is_adv_user():
            return
        if self.filtered(lambda s: s.manager_user_id != self.env.user):
            raise AccessError(
                self.env._("Only the employee's manager or the ADV team can review this timesheet.")
            )

    def _timesheet_lines(self):
        domain = expression.OR(
            [
                [
                    ("employee_id", "=", submission.employee_id.id),
                    ("date", ">=", submission.date_start),
                    ("date", "<=", submission.date_end),
                ]
                for submission in self
            ]
        )
        return (
            self.env["account.analytic.line"]
            .sudo()
            .search(expression.AND([[("project_id", "!=", False)], domain]))
        )

    def _logged_hours_by_key(self):
        """{(employee id, period id): hours}, one grouped query per period."""
        result = {}
        Line = self.env["account.analytic.line"].sudo()
        for period in self.period_id:
            employees = self.filtered(lambda s, p=period: s.period_id == p).employee_id
            groups = Line._read_group(
                [
                    ("project_id", "!=", False),
                    ("employee_id", "in", employees.ids),
                    ("date", ">=", period.date_start),
                    ("date", "<=", period.date_end),
                ],
                ["employee_id"],
                ["unit_amount:sum"],
            )
            result.update({(employee.id, period.id): hours for employee, hours in groups})
        return result

    def _expected_hours(self):
        if not self.employee_id or not self.period_id:
            return 0.0
        start = datetime.combine(self.date_start, time.min)
        end = datetime.combine(self.date_end, time.max)
        # Resource leaves include the validated time off of hr_holidays when it is installed.
        data = self.employee_id.sudo()._get_work_days_data_batch(start, end, compute_leaves=True)
        return data.get(self.employee_id.id, {}).get("hours", 0.0)

    @api.model
    def _generate_for_periods(self, periods):
        """One submission per period and active employee with a user in the period's company."""
        if not periods:
            return self.browse()
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "in", periods.company_id.ids), ("user_id", "!=", False)])
        )
        existing = set(
            self.sudo()
            .search([("period_id", "in", periods.ids)])
            .mapped(lambda s: (s.period_id.id, s.employee_id.id))
        )
        vals_list = [
            {"period_id": period.id, "employee_id": employee.id}
            for period in periods
            for employee in employees.filtered(lambda e, p=period: e.company_id == p.company_id)
            if (period.id, employee.id) not in existing
        ]
        return self.sudo().with_context(mail_create_nolog=True, tracking_disable=True).create(vals_list)

    def _send_reminders(self, today=None):
        """Mail the late or soon-due employees; never the same person twice a day."""
        today = today or fields.Date.context_today(self)
        to_remind = self.filtered(
            lambda s: s.state in ("draft", "sent_back") and s.last_reminder_date != today
        )
        if not to_remind:
            return to_remind
        template = self.env.ref("adv_billing_close.mail_template_submission_reminder")
        for submission in to_remind:
            submission.message_post_with_source(
                template,
                partner_ids=submission.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            submission._flow_write(
                {"last_reminder_date": today, "reminder_count": submission.reminder_count + 1}
            )
        to_remind._escalate_to_managers(today)
        return to_remind

    def _escalate_to_managers(self, today):
        template = self.env.ref("adv_billing_close.mail_template_submission_escalation")
        for submission in self:
            threshold = submission.company_id.adv_reminder_escalation_days
            late_days = (today - submission.submission_deadline).days if submission.submission_deadline else 0
            if submission.escalated_on or not submission.manager_user_id or late_days < threshold:
                continue
            submission.message_post_with_source(
                template,
                partner_ids=submission.manager_user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            submission._flow_write({"escalated_on": today})

    @api.model
    def _cron_send_reminders(self):
        """Days before the submission deadline, then every day from N days after it."""
        today = fields.Date.context_today(self)
        pending = self.search(
            [
                ("state", "in", ("draft", "sent_back")),
                ("period_id.state", "in", ("open", "collecting", "invoicing")),
                ("company_id.adv_timesheet_collection", "=", True),
                ("user_id", "!=", False),
            ]
        )
        due = pending.filtered(
            lambda s: s.submission_deadline
            and (
                (s.submission_deadline - today).days == s.company_id.adv_reminder_days_before
                or (today - s.submission_deadline).days >= s.company_id.adv_reminder_days_after
            )
        )
        to_validate = self.search(
            [
                ("state", "=", "submitted"),
                ("period_id.validation_deadline", "<", today),
                ("period_id.state", "in", ("open", "collecting", "invoicing")),
                ("company_id.adv_timesheet_collection", "=", True),
                ("manager_user_id", "!=", False),
            ]
        )
        to_validate._remind_managers(today)
        return due._send_reminders(today)

    def _remind_managers(self, today):
        """Submitted timesheets still waiting for validation after the deadline: one mail a day per
        manager, listing their team's pending timesheets."""
        pending = self.filtered(lambda s: s.last_reminder_date != today)
        for manager, submissions in pending.grouped("manager_user_id").items():
            names = ", ".join(submissions.employee_id.mapped("name"))
            submissions[:1].message_post(
                body=reader_env(self.env, manager)._(
                    "Timesheets waiting for your validation since %(deadline)s: %(names)s. Their time cannot "
                    "be invoiced until you validate them.",
                    deadline=submissions[:1].period_id.validation_deadline,
                    names=names,
                ),
                partner_ids=manager.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            submissions._flow_write({"last_reminder_date": today})
        return pending

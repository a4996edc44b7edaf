from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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
    submission_deadline = fields.Date(string="Timesheet Submission Deadline", tracking=True)
    validation_deadline = fields.Date(string="Manager Validation Deadline", tracking=True)
    customer_validation_deadline = fields.Date(tracking=True)
    invoicing_deadline = fields.Date(tracking=True, index=True)
    close_date = fields.Date(tracking=True)
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

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        frozen = set(vals) - {"state", "message_main_attachment_id", "activity_ids", "message_follower_ids"}
        if (
            frozen
            and not self.env.context.get("adv_period_closing")
            and self.filtered(lambda p: p.state == "closed")
        ):
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
        self.filtered(lambda p: p.state == "open").write({"state": "collecting"})
        self._generate_submissions()

    def action_start_invoicing(self):
        self.filtered(lambda p: p.state in ("open", "collecting")).write({"state": "invoicing"})
        self.env["adv.preinvoice"]._build_board(self)

    def action_close(self):
        self._check_adv_manager()
        for period in self.filtered(lambda p: p.state != "closed"):
            period._close()

    def action_reopen(self):
        self._check_adv_manager()
        closed = self.filtered(lambda p: p.state == "closed")
        closed.accrual_move_id.filtered(lambda m: m.state == "draft").unlink()
        closed.with_context(adv_period_closing=True).write({"state": "invoicing", "closed_on": False})
        for period in closed:
            period.message_post(
                body=self.env._("Period reopened: its figures will be stored again at close.")
            )

    def action_build_board(self):
        self.env["adv.preinvoice"]._build_board(self)
        return self.action_view_preinvoices()

    def action_generate_submissions(self):
        self._generate_submissions()
        return self.action_view_submissions()

    def action_remind_late(self):
        """One click: remind every late submitter of these periods (at most once a day each)."""
        late = self.submission_ids.filtered("is_late")
        if not late:
            raise UserError(self.env._("Nobody is late on this period."))
        late._send_reminders()

    def action_announce(self):
        """Mail the calendar of the period to everyone concerned (employees with a submission, ADV team)."""
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
        self.announced_on = fields.Datetime.now()

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
        if not self.env.user.has_group("adv_order_control.group_adv_manager"):
            raise UserError(self.env._("Only an ADV Manager can close or reopen a billing period."))

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
        closing = self.with_context(adv_period_closing=True)
        closing.write(
            {
                "state": "closed",
                "closed_on": fields.Datetime.now(),
                "closed_by_id": self.env.user.id,
                "fae_total": sum(self.accrual_ids.mapped("fae_amount")),
                "pca_total": sum(self.accrual_ids.mapped("pca_amount")),
            }
        )
        if self.company_id.adv_accrual_entry:
            closing.accrual_move_id = self.env["adv.period.accrual"]._create_accrual_entry(self)
        self.message_post(
            body=self.env._(
                "Period closed: FAE %(fae)s, PCA %(pca)s.", fae=self.fae_total, pca=self.pca_total
            )
        )

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
        to_collect = self.search([("state", "=", "open"), ("date_end", "<=", today + relativedelta(days=7))])
        to_collect.filtered(
            lambda p: p.submission_deadline - relativedelta(days=p.company_id.adv_reminder_days_before)
            <= today
        ).action_start_collecting()
        self.search(
            [("state", "in", ("open", "collecting")), ("validation_deadline", "<", today)]
        ).action_start_invoicing()
        to_close = self.search([("state", "=", "invoicing"), ("close_date", "<=", today)])
        for period in to_close:
            # Closing stays a manager's decision: remind them once.
            if not period.activity_ids:
                period.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=period.close_date,
                    summary=self.env._("Close billing period %s", period.name),
                    user_id=(period.company_id.adv_unbilled_manager_id or self.env.ref("base.user_admin")).id,
                )

    # ------------------------------------------------------------------ demo
    @api.model
    def _adv_demo_setup(self):
        """Demo: a closed and an open period, late submitters, a board line per blocker, an escalation."""
        company = self.env.ref("base.main_company")
        company.adv_timesheet_collection = True
        this_month = fields.Date.context_today(self).replace(day=1)
        closed = self.create(self._period_values(company, this_month - relativedelta(months=6)))
        current = self.create(self._period_values(company, this_month - relativedelta(months=1)))
        orders = self._adv_demo_orders(company, closed, current)
        submissions = self.env["adv.timesheet.submission"]._generate_for_periods(closed | current)
        for rank, submission in enumerate(submissions.filtered(lambda s: s.period_id == closed)):
            submission.action_submit()
            submission.action_validate()
            submitted = datetime.combine(closed.submission_deadline + relativedelta(days=rank % 4), time(17))
            submission._flow_write({"submitted_on": submitted, "validated_on": submitted})
        closed._close()
        # Marc Demo submitted and was validated; Mitchell Admin is late, which blocks his customer.
        validated = submissions.filtered(
            lambda s: s.period_id == current and s.employee_id == self.env.ref("hr.employee_qdp")
        )
        validated.action_submit()
        validated.action_validate()
        current.state = "invoicing"
        self._cron_generate_periods()
        self.env["adv.preinvoice"]._build_board(current, orders=orders)
        late_line = current.preinvoice_ids.filtered(
            lambda line: "po_missing" in line.blocker_type_ids.mapped("code")
        )
        late_line._escalate(fields.Date.context_today(self))

    @api.model
    def _adv_demo_orders(self, company, closed, current):
        product = self.env["product.product"].create(
            {
                "name": "Consulting hour (ADV demo)",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "service_tracking": "task_in_project",
                "list_price": 95.0,
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "uom_po_id": self.env.ref("uom.product_uom_hour").id,
            }
        )
        employee = self.env.ref("hr.employee_qdp")
        late_employee = self.env.ref("hr.employee_admin")
        day = current.date_start + relativedelta(days=4)
        orders = self.env["sale.order"]
        Instruction = self.env["adv.billing.instruction"]
        for partner_ref, instruction, po in (
            ("base.res_partner_12", {"po_required": True}, None),
            ("base.res_partner_2", {"customer_validation_required": True}, None),
            (
                "base.res_partner_3",
                {"po_required": True},
                {"name": "PO-2024-118", "date_end": closed.date_end},
            ),
            (
                "base.res_partner_4",
                {"po_required": True},
                {"name": "PO-77", "ceiling_type": "hours", "ceiling_hours": 10.0},
            ),
            ("base.res_partner_10", None, None),
            ("base.res_partner_1", None, None),
        ):
            partner = self.env.ref(partner_ref)
            if instruction and not Instruction.search([("partner_id", "=", partner.id)]):
                Instruction.create(dict(instruction, partner_id=partner.id, company_id=company.id))
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 40})],
                }
            )
            order.action_confirm()
            if po:
                self.env["adv.customer.po"].create(dict(po, order_id=order.id))
            task = order.tasks_ids[:1]
            self.env["account.analytic.line"].create(
                [
                    {
                        "name": "Consulting",
                        "project_id": task.project_id.id,
                        "task_id": task.id,
                        "employee_id": (
                            late_employee if partner_ref == "base.res_partner_1" else employee
                        ).id,
                        "unit_amount": hours,
                        "date": date,
                    }
                    for hours, date in ((16.0, day), (8.0, closed.date_start + relativedelta(days=9)))
                ]
            )
            orders |= order
        return orders

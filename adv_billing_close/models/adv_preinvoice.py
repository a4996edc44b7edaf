from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, sql

from odoo.addons.adv_order_control.tools import check_owned_fields, flow, in_flow, reader_env

from .sale_order import InvoicingScope, invoicing_scope

CATEGORY_SEQUENCE = {"easy": 1, "validation": 2, "blocked": 3}
OPEN_STATES = ("todo", "ready", "escalated")
MAX_ESCALATION_LEVEL = 3
# The board's own (re)build and escalation: the only writers of board lines besides the ADV team's
# buttons (a context key would let any RPC caller write a frozen board).
BOARD_BUILD = "adv_board_build"
# What the board computes and what its buttons record: written only inside BOARD_BUILD, by the build,
# the buttons (Create Invoices, Defer, Customer Validated) and the escalation.
OWNED_FIELDS = dict.fromkeys(
    (
        "period_id",
        "order_id",
        "amount_to_invoice",
        "timesheet_hours",
        "category",
        "category_sequence",
        "blocker_type_ids",
        "blocker_messages",
        "warning_messages",
        "state",
        "customer_validated_on",
        "invoice_ids",
        "invoiced_on",
        "defer_reason",
        "escalation_level",
        "escalation_reason_id",
        "escalation_owner_id",
        "escalation_deadline",
        "escalated_on",
    )
)


class AdvPreinvoice(models.Model):
    _name = "adv.preinvoice"
    _description = "Pre-invoice Board Line"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "category_sequence, amount_to_invoice desc, id"
    _check_company_auto = True
    _rec_name = "order_id"

    period_id = fields.Many2one(
        "adv.billing.period", required=True, ondelete="cascade", index=True, check_company=True
    )
    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    instruction_id = fields.Many2one(related="order_id.adv_billing_instruction_id", string="Instructions")
    instruction_summary = fields.Char(compute="_compute_instruction_summary")
    amount_to_invoice = fields.Monetary(readonly=True, help="Untaxed amount to invoice for the period.")
    timesheet_hours = fields.Float(string="Hours to Invoice", readonly=True)
    category = fields.Selection(
        [("easy", "Easy"), ("validation", "Needs Customer Validation"), ("blocked", "Blocked")],
        required=True,
        default="easy",
        index=True,
    )
    category_sequence = fields.Integer(default=1, index=True)
    blocker_type_ids = fields.Many2many("adv.blocker.type", string="Blockers")
    # The reasons in every installed language, {lang: text}: the board is built once (often by its cron)
    # and read by each user in their own language.
    blocker_messages = fields.Json(readonly=True, copy=False)
    warning_messages = fields.Json(readonly=True, copy=False)
    blocker_message = fields.Text(
        string="Blocking Reasons",
        compute="_compute_messages",
        help="What stops this order from being invoiced now.",
    )
    warning_message = fields.Text(
        string="Warnings",
        compute="_compute_messages",
        help="What to check before invoicing: it does not stop the invoice.",
    )
    state = fields.Selection(
        [
            ("todo", "To Do"),
            ("ready", "Ready"),
            ("invoiced", "Invoiced"),
            ("deferred", "Deferred"),
            ("escalated", "Escalated"),
        ],
        default="todo",
        required=True,
        tracking=True,
        index=True,
    )
    customer_validated_on = fields.Date(tracking=True, copy=False)
    invoice_ids = fields.Many2many("account.move", readonly=True, copy=False)
    invoiced_on = fields.Datetime(readonly=True, copy=False)
    defer_reason = fields.Text(readonly=True, tracking=True)
    escalation_level = fields.Integer(readonly=True, tracking=True)
    escalation_reason_id = fields.Many2one("adv.blocker.type", readonly=True)
    escalation_owner_id = fields.Many2one("res.users", readonly=True, tracking=True)
    escalation_deadline = fields.Date(readonly=True)
    escalated_on = fields.Date(readonly=True)

    _sql_constraints = [
        (
            "period_order_uniq",
            "unique(period_id, order_id)",
            "An order has one line per period on the board.",
        ),
    ]

    # ------------------------------------------------------------------ compute
    @api.depends("instruction_id")
    def _compute_instruction_summary(self):
        for line in self:
            line.instruction_summary = line.instruction_id._summary() if line.instruction_id else False

    @api.depends("blocker_messages", "warning_messages")
    @api.depends_context("lang")
    def _compute_messages(self):
        lang = self.env.lang or "en_US"
        for line in self:
            line.blocker_message = line._message_in(line.blocker_messages, lang)
            line.warning_message = line._message_in(line.warning_messages, lang)

    @staticmethod
    def _message_in(messages, lang):
        if not messages:
            return False
        return messages.get(lang) or messages.get("en_US") or next(iter(messages.values()), False)

    def init(self):
        # Boards built before the reasons were kept per language: their text (in the builder's language)
        # serves every reader until the next rebuild, rather than no reason at all.
        for column, target in (
            ("blocker_message", "blocker_messages"),
            ("warning_message", "warning_messages"),
        ):
            if sql.column_exists(self.env.cr, self._table, column):
                self.env.cr.execute(
                    SQL(
                        "UPDATE %(table)s SET %(target)s = jsonb_build_object('en_US', %(column)s) "
                        "WHERE %(target)s IS NULL AND %(column)s IS NOT NULL AND %(column)s <> ''",
                        table=SQL.identifier(self._table),
                        target=SQL.identifier(target),
                        column=SQL.identifier(column),
                    )
                )
                # Copied once: a later rebuild that empties the reasons must not get the old text back.
                self.env.cr.execute(
                    SQL("ALTER TABLE %s DROP COLUMN %s", SQL.identifier(self._table), SQL.identifier(column))
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not in_flow(BOARD_BUILD):
            for vals in vals_list:
                check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        # The build and the escalation never touch a closed period: nobody writes its board.
        if self.period_id.filtered(lambda p: p.state == "closed"):
            raise UserError(self.env._("The billing period is closed: its pre-invoice board is frozen."))
        if not in_flow(BOARD_BUILD):
            check_owned_fields(self, vals, OWNED_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_create_invoices(self):
        """Invoice the ready lines with Odoo's own wizard, timesheets up to the period end; the lines are
        judged again first, so that what is invoiced is what the invoicing gate lets through now."""
        self._build_board(self.period_id.filtered(lambda p: p.state != "closed"), orders=self.order_id)
        ready = self.exists().filtered(lambda line: line.state in OPEN_STATES and line.category == "easy")
        if not ready:
            raise UserError(
                self.env._("None of the selected lines is ready: clear their blockers or select ready lines.")
            )
        invoices = self.env["account.move"]
        for period in ready.period_id:
            lines = ready.filtered(lambda line, p=period: line.period_id == p)
            invoices |= lines._invoice_period(period)
        invoices._adv_attach_timesheets()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", invoices.ids)],
        }

    def action_customer_validated(self):
        with flow(BOARD_BUILD):
            self.write({"customer_validated_on": fields.Date.context_today(self)})
        self._build_board(self.period_id, orders=self.order_id)

    def action_defer(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Defer to Next Period"),
            "res_model": "adv.preinvoice.defer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_preinvoice_ids": self.ids},
        }

    def action_refresh(self):
        self._build_board(self.period_id, orders=self.order_id)

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ invoicing
    def _invoice_period(self, period):
        orders = self.order_id
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create(
                {
                    "advance_payment_method": "delivered",
                    "sale_order_ids": [Command.set(orders.ids)],
                    "date_end_invoice_timesheet": period.date_end,
                    # One invoice per order: each carries its own PO and instructions.
                    "consolidated_billing": False,
                }
            )
        )
        # Like sale_timesheet for timesheets: milestones reached after the period end wait for the next one.
        milestone_lines = orders.order_line.filtered(
            lambda sol: sol.qty_delivered_method == "milestones"
            and sol.product_id.invoice_policy == "delivery"
        )
        quantities = milestone_lines._adv_milestone_qty_to_invoice(period.date_end)
        for sol in milestone_lines:
            sol.qty_to_invoice = quantities.get(sol, 0.0)
        scope = InvoicingScope(date=period.date_end, period_bound=True, period_id=period.id)
        with invoicing_scope(scope):
            invoices = wizard._create_invoices(orders)
        now = fields.Datetime.now()
        for line in self:
            line_invoices = invoices.filtered(
                lambda m, o=line.order_id: o in m.line_ids.sale_line_ids.order_id
            )
            with flow(BOARD_BUILD):
                line.write(
                    {"state": "invoiced", "invoice_ids": [Command.set(line_invoices.ids)], "invoiced_on": now}
                )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return invoices

    def _defer(self, reason):
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the line is deferred to the next period."))
        if self.filtered(lambda line: line.state not in OPEN_STATES):
            raise UserError(self.env._("Only lines still to invoice can be deferred."))
        with flow(BOARD_BUILD):
            self.write({"state": "deferred", "defer_reason": reason})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    # ------------------------------------------------------------------ board build
    @api.model
    def _build_board(self, periods, orders=None):
        """(Re)compute the board of each period, set-based; invoiced/deferred lines are kept as they are."""
        for period in periods:
            if period.state == "closed":
                raise UserError(self.env._("Period %s is closed: its board is frozen.", period.name))
            self._build_period(period, orders)

    @api.model
    def _build_period(self, period, orders=None):
        amounts, hours = self._period_amounts(period, orders)
        # The board covers every salesperson's orders, whatever the builder's own sales rights.
        board_orders = self.env["sale.order"].sudo().browse(amounts)
        existing_domain = [("period_id", "=", period.id)]
        if orders is not None:
            existing_domain.append(("order_id", "in", orders.ids))
        existing = self.search(existing_domain)
        by_order = {line.order_id.id: line for line in existing}
        # The reasons are worded in every installed language, each judged by the one invoicing gate.
        by_lang = {
            lang: self.with_context(lang=lang)._period_blockers(
                period, board_orders.with_context(lang=lang), amounts
            )
            for lang, _name in self.env["res.lang"].get_installed()
        }
        blockers = by_lang.get("en_US") or next(iter(by_lang.values()))
        codes = {blocker.code for order_blockers in blockers.values() for blocker in order_blockers}
        labels = {
            lang: {b.code: b.label for order_blockers in lang_blockers.values() for b in order_blockers}
            for lang, lang_blockers in by_lang.items()
        }
        types = self.env["adv.blocker.type"]._get_by_codes(codes, labels)
        vals_list = []
        build = self.with_context(tracking_disable=True, mail_create_nolog=True)
        for order in board_orders:
            values = self._line_values(
                order,
                amounts[order.id],
                hours.get(order.id, 0.0),
                blockers[order.id],
                types,
                {lang: lang_blockers[order.id] for lang, lang_blockers in by_lang.items()},
            )
            line = by_order.pop(order.id, None)
            if line is None:
                vals_list.append(
                    dict(values, period_id=period.id, order_id=order.id, company_id=period.company_id.id)
                )
                continue
            if line.state not in OPEN_STATES and not line._invoices_undone():
                continue
            if line.state == "escalated":
                values.pop("state")
            if line._differs_from(values):
                with flow(BOARD_BUILD):
                    build.browse(line.id).write(values)
        with flow(BOARD_BUILD):
            build.create(vals_list)
        # Lines whose order has nothing left to invoice leave the board unless someone acted on them.
        self.browse([line.id for line in by_order.values() if line.state in ("todo", "ready")]).unlink()

    def _invoices_undone(self):
        """An invoiced line whose invoices were all cancelled or credited in full is to invoice again."""
        self.ensure_one()
        return (
            self.state == "invoiced"
            and bool(self.invoice_ids)
            and all(m.state == "cancel" or m.payment_state == "reversed" for m in self.invoice_ids.sudo())
        )

    def _differs_from(self, values):
        """Whether a rebuild changes this line: unchanged lines are not written again."""
        self.ensure_one()
        for name, value in values.items():
            if name == "blocker_type_ids":
                if set(value[0][2]) != set(self.blocker_type_ids.ids):
                    return True
            elif isinstance(self[name], models.BaseModel):
                if self[name].id != (value or False):
                    return True
            elif name in ("amount_to_invoice", "timesheet_hours"):
                if self.currency_id.compare_amounts(self[name], value):
                    return True
            elif name in ("blocker_messages", "warning_messages"):
                if (self[name] or False) != (value or False):
                    return True
            elif self[name] != value:
                return True
        return False

    @api.model
    def _line_values(self, order, amount, hours, order_blockers, types, blockers_by_lang):
        blocks = [b for b in order_blockers if b.severity == "block"]
        if any(b.code != "customer_validation" for b in blocks):
            category = "blocked"
        elif blocks:
            category = "validation"
        else:
            category = "easy"
        return {
            "partner_id": order.partner_id.commercial_partner_id.id,
            "user_id": order.user_id.id,
            "amount_to_invoice": amount,
            "timesheet_hours": hours,
            "category": category,
            "category_sequence": CATEGORY_SEQUENCE[category],
            "state": "ready" if category == "easy" else "todo",
            "blocker_type_ids": [Command.set([types[b.code].id for b in order_blockers])],
            "blocker_messages": self._messages_by_lang(blockers_by_lang, block=True),
            "warning_messages": self._messages_by_lang(blockers_by_lang, block=False),
        }

    @api.model
    def _messages_by_lang(self, blockers_by_lang, block):
        """{lang: the reasons of that severity, one a line}, or False when there is none."""
        messages = {
            lang: "\n".join(b.message for b in blockers if (b.severity == "block") == block)
            for lang, blockers in blockers_by_lang.items()
        }
        return {lang: text for lang, text in messages.items() if text} or False

    @api.model
    def _period_amounts(self, period, orders=None):
        """Untaxed amount to invoice per order for the period, as sale_timesheet's wizard invoices it up
        to the period end: timesheets through its own hooks (``_timesheet_compute_delivered_quantity_domain``
        as of ``accrual_entry_date``, not invoiced or on a credited invoice), milestones reached by the
        period end, other lines at their quantity to invoice. Returns (amounts, hours) by order id."""
        line_domain = [
            ("state", "=", "sale"),
            ("company_id", "=", period.company_id.id),
            ("display_type", "=", False),
        ]
        if orders is not None:
            line_domain.append(("order_id", "in", orders.ids))
        # No point-in-time context on this environment: reading a stored quantity that awaits its
        # recomputation would store it as of that date.
        SaleLine = self.env["sale.order.line"].sudo()
        timesheet_lines = SaleLine.search(
            expression.AND(
                [
                    line_domain,
                    [
                        ("qty_delivered_method", "=", "timesheet"),
                        ("product_id.invoice_policy", "=", "delivery"),
                        ("product_id.service_type", "=", "timesheet"),
                    ],
                ]
            )
        )
        qty_by_line, hours = timesheet_lines._adv_timesheet_qty_to_invoice(None, period.date_end)
        milestone_lines = SaleLine.search(
            expression.AND(
                [
                    line_domain,
                    [
                        ("qty_delivered_method", "=", "milestones"),
                        ("product_id.invoice_policy", "=", "delivery"),
                    ],
                ]
            )
        )
        qty_by_line.update(milestone_lines._adv_milestone_qty_to_invoice(period.date_end))
        other_lines = SaleLine.search(
            expression.AND(
                [
                    line_domain,
                    [("id", "not in", (timesheet_lines | milestone_lines).ids), ("qty_to_invoice", "!=", 0)],
                ]
            )
        )
        for so_line in other_lines:
            qty_by_line[so_line] = so_line.qty_to_invoice
        amounts = defaultdict(float)
        for so_line, qty in qty_by_line.items():
            price = so_line.price_unit * (1 - (so_line.discount or 0.0) / 100.0)
            amounts[so_line.order_id.id] += so_line.currency_id.round(qty * price)
        amounts = {order_id: amount for order_id, amount in amounts.items() if amount}
        return amounts, hours

    @api.model
    def _period_blockers(self, period, orders, amounts):
        """{order id: [blocker]}: the one invoicing gate (``sale.order._adv_invoicing_blockers``), judged
        at the period end for the amounts the board is about to invoice."""
        scope = InvoicingScope(date=period.date_end, period_bound=True, amounts=amounts)
        with invoicing_scope(scope):
            blockers = orders._adv_invoicing_blockers()
        return {order.id: blockers.get(order.id, []) for order in orders}

    # ------------------------------------------------------------------ escalation
    @api.model
    def _cron_escalate(self):
        """Escalate the lines not invoiced by the invoicing deadline, one level per N days."""
        today = fields.Date.context_today(self)
        late = self.search(
            [
                ("state", "in", ("todo", "ready")),
                ("period_id.invoicing_deadline", "<", today),
                ("period_id.state", "!=", "closed"),
            ]
        )
        overdue = self.search(
            [
                ("state", "=", "escalated"),
                ("escalation_deadline", "<", today),
                ("escalation_level", "<", MAX_ESCALATION_LEVEL),
                ("period_id.state", "!=", "closed"),
            ]
        )
        (late | overdue)._escalate(today)

    def _escalate(self, today):
        not_invoiced = self.env["adv.blocker.type"]._get_by_codes(["not_invoiced"])["not_invoiced"]
        for line in self:
            level = line.escalation_level + 1
            reason = line.escalation_reason_id or line.blocker_type_ids[:1] or not_invoiced
            owner = line._escalation_owner(level, reason)
            with flow(BOARD_BUILD):
                line.write(
                    {
                        "state": "escalated",
                        "escalation_level": level,
                        "escalation_reason_id": reason.id,
                        "escalation_owner_id": owner.id,
                        "escalated_on": today,
                        "escalation_deadline": today
                        + relativedelta(days=line.company_id.adv_unbilled_escalation_days),
                    }
                )
            env = reader_env(self.env, owner)
            line.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=line.escalation_deadline,
                summary=env._(
                    "Unbilled %(order)s (level %(level)s): %(reason)s",
                    order=line.order_id.name,
                    level=level,
                    reason=reason.with_env(env).name,
                ),
                user_id=owner.id,
            )

    def _escalation_owner(self, level, reason):
        """Level 1: the owner of the reason; level 2: the ADV Manager; level 3: finance."""
        self.ensure_one()
        company = self.company_id
        salesperson = self.order_id.user_id or company.adv_unbilled_manager_id or self.env.user
        adv_manager = company.adv_unbilled_manager_id or salesperson
        roles = {
            "salesperson": salesperson,
            "project_manager": self.order_id.sudo().project_ids[:1].user_id or salesperson,
            "adv_manager": adv_manager,
            "finance": company.adv_unbilled_finance_id or adv_manager,
        }
        role = reason.owner_role if level == 1 else "adv_manager" if level == 2 else "finance"
        return roles[role]

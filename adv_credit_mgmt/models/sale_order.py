from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.adv_order_control.tools import (
    ConfirmationIssue,
    InvoicingBlocker,
    check_owned_fields,
    in_flow,
    reader_env,
)

from .res_partner import BLOCKED_STATUSES, CREDIT_CONTROLLER, CREDIT_DATA, CREDIT_MANAGER

# Written only by their flows, as superuser: the customer's confirmation over a credit block puts the
# order on hold (_adv_credit_put_on_hold), the release wizard (Credit Manager, logged) takes it off.
OWNED_FIELDS = {"adv_credit_hold": None, "adv_credit_hold_reason": None}


def override_flow(order_id):
    """Server-side flow under which a Credit Manager's recorded override posts the invoices of order
    ``order_id``: the order's credit blockers are lifted for that posting only."""
    return f"adv_credit_override_posting:{order_id}"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    adv_credit_hold = fields.Boolean(
        string="Credit Hold",
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="Confirmed by the customer (portal, online payment) over a credit block: nothing is delivered, "
        "started or invoiced until a Credit Manager releases it.",
    )
    adv_credit_hold_reason = fields.Text(
        string="Credit Hold Reason", copy=False, readonly=True, groups=CREDIT_DATA
    )
    adv_credit_status = fields.Selection(related="partner_id.commercial_partner_id.adv_credit_status")
    adv_credit_over_limit = fields.Boolean(related="partner_id.commercial_partner_id.adv_credit_over_limit")
    adv_dispute_ids = fields.Many2many(
        "adv.dispute",
        string="Disputes",
        compute="_compute_adv_dispute_ids",
        help="Disputes on the order's invoices.",
    )
    adv_dispute_count = fields.Integer(string="Dispute Count", compute="_compute_adv_dispute_ids")

    # ------------------------------------------------------------ compute methods
    @api.depends("invoice_ids")
    def _compute_adv_dispute_ids(self):
        # One search for all the orders' invoices, then each order keeps the disputes of its own;
        # salespeople who do not see disputes get none (the order form stays readable for them).
        Dispute = self.env["adv.dispute"]
        disputes = (
            Dispute.search([("invoice_ids", "in", self.invoice_ids.ids)])
            if Dispute.has_access("read")
            else Dispute
        )
        for order in self:
            mine = disputes.filtered(lambda d, o=order: d.invoice_ids & o.invoice_ids)
            order.adv_dispute_ids = mine
            order.adv_dispute_count = len(mine)

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------ hooks of adv_order_control
    def _adv_confirmation_issues(self):
        return super()._adv_confirmation_issues() + self._adv_credit_issues()

    def _adv_log_override(self, issue, reason):
        res = super()._adv_log_override(issue, reason)
        if issue.code.startswith("credit_"):
            order = self.browse(issue.order_id)
            self.env["adv.credit.override"].sudo().create(
                {
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "order_id": order.id,
                    "kind": "order",
                    "code": issue.code,
                    "amount_over": issue.amount_over,
                    "reason": reason,
                }
            )
        return res

    def _adv_handle_unattended_issues(self, issues):
        """Customer confirmations (portal, online payment) over a credit block go on credit hold."""
        credit = [i for i in issues if i.code.startswith("credit_") and i.severity == "block"]
        remaining = [i for i in issues if i not in credit]
        if credit:
            held = self.browse({issue.order_id for issue in credit})
            by_customer = held if held._adv_credit_customer_context() else held.browse()
            for order in by_customer:
                # Read by the credit controller, in their language (the customer confirmed in theirs).
                messages = order._adv_issue_messages(credit, order._adv_credit_controller_user())
                order._adv_credit_put_on_hold("\n".join(messages))
            remaining += [i for i in credit if i.order_id not in by_customer.ids]
        return super()._adv_handle_unattended_issues(remaining)

    def _adv_invoicing_blockers(self):
        blockers = super()._adv_invoicing_blockers()
        for order in self:
            order_blockers = order._adv_credit_invoicing_blockers()
            if order_blockers:
                blockers.setdefault(order.id, []).extend(order_blockers)
        return blockers

    # ------------------------------------------------------------ actions
    def action_adv_view_disputes(self):
        self.ensure_one()
        return self.env["adv.dispute"]._adv_records_action(
            "adv.dispute", self.adv_dispute_ids, self.env._("Disputes")
        )

    def action_adv_release_credit_hold(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Credit Hold"),
            "res_model": "adv.credit.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    # ------------------------------------------------------------ business methods
    def _adv_credit_issues(self):
        """Credit issues of the orders in ``self`` about to be confirmed (batch, one SQL read per company)."""
        issues = []
        # Credit data is read as superuser: a salesperson confirming must not need accounting rights.
        orders = self.sudo().filtered(
            lambda o: o.state in ("draft", "sent") and o.company_id._adv_credit_checks_active()
        )
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            facts = company_orders._adv_credit_facts(company)
            first_orders = (
                company_orders._adv_credit_first_orders()
                if company.adv_credit_opening_check != "none"
                else company_orders.browse()
            )
            pending = defaultdict(float)  # orders confirmed together add up on the same customer
            for order in company_orders:
                fact = facts[order.id]
                if fact["maybe_prepaid"] and order._adv_credit_is_prepaid():
                    continue
                # Same conversion as Odoo's own credit warning: the order's rate, no extra query.
                pending[fact["partner_id"]] += order.amount_total / (order.currency_rate or 1.0)
                issues += order._adv_credit_order_issues(
                    fact, pending[fact["partner_id"]], order in first_orders
                )
        return issues

    def _adv_credit_facts(self, company):
        """What the credit check needs of the orders ``self`` of ``company`` and their customers, by
        order id: effective limit, account status, exposure row, and whether the order may be prepaid.

        One statement, which also locks the customers: the no-op UPDATE makes a second confirmation for
        the same customer wait, then fail with a serialization error (repeatable read) once the first
        commits; Odoo retries the request, which then sees the first order in the exposure. Two
        confirmations can never both pass on the same exposure (a deadlock between two batches is
        retried the same way).
        """
        Partner = self.env["res.partner"]
        self.env["adv.credit.exposure"]._flush_sources()
        self.env["sale.order.line"].flush_model(["is_downpayment"])
        self.flush_model(["transaction_ids"])
        Partner.flush_model(
            [*Partner._adv_credit_limit_fields(), "commercial_partner_id", "adv_credit_status"]
            + ["adv_credit_reviewed_on"]
        )

        def column(fname, cast):
            return Partner._adv_credit_column_sql(company, "c", fname, cast)

        query = SQL(
            """
            WITH customers AS (
                UPDATE res_partner c SET id = c.id
                 WHERE c.id IN (SELECT rp.commercial_partner_id
                                  FROM sale_order so JOIN res_partner rp ON rp.id = so.partner_id
                                 WHERE so.id = ANY(%(orders)s))
             RETURNING c.id, %(limit)s AS credit_limit, %(status)s AS status, %(reviewed)s AS reviewed_on
            )
            SELECT so.id, c.id, c.credit_limit, c.status, c.reviewed_on,
                   COALESCE(e.amount_decision, 0), COALESCE(e.amount_overdue, 0), e.oldest_due_date,
                   EXISTS (SELECT 1 FROM sale_order_transaction_rel t WHERE t.sale_order_id = so.id)
                   OR EXISTS (SELECT 1 FROM sale_order_line l WHERE l.order_id = so.id AND l.is_downpayment)
              FROM sale_order so
              JOIN res_partner rp ON rp.id = so.partner_id
              JOIN customers c ON c.id = rp.commercial_partner_id
              LEFT JOIN adv_credit_exposure e ON e.partner_id = c.id AND e.company_id = %(company)s
             WHERE so.id = ANY(%(orders)s)
            """,
            orders=self.ids,
            company=company.id,
            limit=Partner._adv_credit_limit_sql(company, "c"),
            status=column("adv_credit_status", "varchar"),
            reviewed=column("adv_credit_reviewed_on", "date"),
        )
        keys = ("partner_id", "limit", "status", "reviewed_on", "exposure", "overdue", "oldest_due_date")
        facts = {}
        for order_id, *values, maybe_prepaid in self.env.execute_query(query):
            fact = dict(zip(keys, values, strict=True), maybe_prepaid=maybe_prepaid)
            fact.update(
                limit=float(fact["limit"] or 0.0),
                exposure=float(fact["exposure"]),
                overdue=float(fact["overdue"]),
            )
            facts[order_id] = fact
        return facts

    def _adv_credit_first_orders(self):
        """Orders of customers who have no confirmed order yet in the company (one query)."""
        self.flush_model(["partner_id", "state", "company_id"])
        query = SQL(
            """
            SELECT DISTINCT rp.commercial_partner_id
              FROM sale_order o
              JOIN res_partner rp ON rp.id = o.partner_id
             WHERE rp.commercial_partner_id IN %s AND o.state = 'sale' AND o.company_id IN %s
               AND o.id NOT IN %s
            """,
            tuple(self.partner_id.commercial_partner_id.ids),
            tuple(self.company_id.ids),
            tuple(self.ids),
        )
        known = {partner_id for (partner_id,) in self.env.execute_query(query)}
        return self.filtered(lambda o: o.partner_id.commercial_partner_id.id not in known)

    def _adv_credit_order_issues(self, fact, amount, first_order):
        """Issues of this order given the credit facts of its customer and the ``amount`` confirmed with it
        (this order plus the orders of the same batch before it, company currency)."""
        self.ensure_one()
        company = self.company_id
        partner = self.env["res.partner"].browse(fact["partner_id"])
        currency = company.currency_id
        issues = []

        def issue(code, severity, message, amount_over=0.0):
            issues.append(
                ConfirmationIssue(
                    order_id=self.id,
                    code=code,
                    message=message,
                    severity=severity,
                    override_group=CREDIT_MANAGER if severity == "block" else None,
                    amount_over=amount_over,
                )
            )

        if company.adv_credit_order_check != "none" and fact["status"] in BLOCKED_STATUSES:
            # The block reason is credit data: told to the credit team, ADV and accounting only.
            reason = self.env._("ask the credit team")
            if any(self.env.user.has_group(group) for group in CREDIT_DATA.split(",")):
                reason = partner.with_company(company).adv_credit_block_reason or self.env._(
                    "no reason given"
                )
            issue(
                "credit_account_blocked",
                company.adv_credit_order_check,
                self.env._(
                    "The account of %(customer)s is blocked (%(reason)s). A Credit Manager must reopen the "
                    "account or confirm this order with a reason.",
                    customer=partner.display_name,
                    reason=reason,
                ),
            )
        limit = fact["limit"]
        if (
            company.adv_credit_opening_check != "none"
            and first_order
            and not fact["reviewed_on"]
            and limit <= 0
        ):
            issue(
                "credit_opening_review",
                company.adv_credit_opening_check,
                self.env._(
                    "%(customer)s is a new customer: its first order needs a credit review or a credit "
                    "limit. Ask the credit team to review the account.",
                    customer=partner.display_name,
                ),
            )
        exposure = fact["exposure"]
        if company.adv_credit_order_check != "none" and limit > 0 and exposure + amount > limit:
            over = exposure + amount - limit
            issue(
                "credit_over_limit",
                company.adv_credit_order_check,
                self.env._(
                    "Exposure of %(customer)s with this order (%(total)s) exceeds its credit limit "
                    "(%(limit)s) by %(over)s. Ask for a down payment, reduce the order, or have a Credit "
                    "Manager confirm it.",
                    customer=partner.display_name,
                    total=currency.format(exposure + amount),
                    limit=currency.format(limit),
                    over=currency.format(over),
                ),
                amount_over=over,
            )
        if company.adv_credit_overdue_check != "none" and self._adv_credit_overdue_exceeded(fact):
            issue(
                "credit_overdue",
                company.adv_credit_overdue_check,
                self.env._(
                    "%(customer)s has overdue invoices (%(amount)s, oldest due on %(date)s). Collect them or "
                    "have a Credit Manager confirm the order.",
                    customer=partner.display_name,
                    amount=currency.format(fact["overdue"]),
                    date=fact["oldest_due_date"] or "-",
                ),
                amount_over=fact["overdue"],
            )
        return issues

    def _adv_credit_overdue_exceeded(self, fact):
        company = self.company_id
        if fact["overdue"] <= company.adv_credit_overdue_amount:
            return False
        if company.adv_credit_overdue_days and fact["oldest_due_date"]:
            age = (fields.Date.context_today(self) - fact["oldest_due_date"]).days
            return age > company.adv_credit_overdue_days
        return True

    def _adv_credit_is_prepaid(self):
        """Paid online or fully covered by paid down payments: no credit risk."""
        self.ensure_one()
        if not self.amount_total:
            return False
        rounding = self.currency_id
        # amount_paid reads the payment transactions: only worth it when the order has some.
        if self.transaction_ids and rounding.compare_amounts(self.amount_paid, self.amount_total) >= 0:
            return True
        downpayment_lines = self.order_line.filtered("is_downpayment")
        if not downpayment_lines:
            return False
        downpayments = downpayment_lines.invoice_lines.filtered(
            lambda line: line.move_id.state == "posted"
            and line.move_id.payment_state in ("paid", "in_payment")
        )
        return rounding.compare_amounts(sum(downpayments.mapped("price_total")), self.amount_total) >= 0

    def _adv_credit_customer_context(self):
        """True when the customer confirms himself: portal acceptance or online payment."""
        return self._adv_is_customer_confirmation()

    def _adv_credit_put_on_hold(self, reason):
        self.ensure_one()
        self.sudo().write({"adv_credit_hold": True, "adv_credit_hold_reason": reason})
        controller = self._adv_credit_controller_user()
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=reader_env(self.env, controller)._("Credit hold: review the order"),
            note=reason,
            user_id=controller.id,
        )

    def _adv_credit_controller_user(self, company=None):
        """The company's credit controller, else the first controller who is not a manager."""
        company = company or self.company_id[:1] or self.env.company
        if company.adv_credit_controller_id:
            return company.adv_credit_controller_id
        users = (
            self.env.ref(CREDIT_CONTROLLER)
            .sudo()
            .users.filtered(lambda u: not u.share and company in u.company_ids and u.id != 1)
        )
        managers = self.env.ref(CREDIT_MANAGER).sudo().users
        return (users - managers).sorted("id")[:1] or users.sorted("id")[:1] or self.user_id or self.env.user

    def _adv_credit_invoicing_blockers(self):
        self.ensure_one()
        blockers = []
        if in_flow(override_flow(self.id)):
            # A Credit Manager posts this order's invoice over the credit block, with a logged reason.
            return blockers
        if self.adv_credit_hold:
            blockers.append(
                InvoicingBlocker(
                    code="credit_hold",
                    label=self.env._("Credit hold"),
                    message=self.env._("The order is on credit hold: a Credit Manager must release it."),
                )
            )
        check = self.company_id.adv_credit_invoice_check
        if check != "none" and self.partner_id._adv_credit_is_blocked():
            blockers.append(
                InvoicingBlocker(
                    code="credit_account_blocked",
                    label=self.env._("Customer account blocked"),
                    message=self.env._("The customer's account is blocked: a Credit Manager must reopen it."),
                    severity=check,
                )
            )
        return blockers

    def _adv_credit_recheck_increase(self, amounts_before):
        """A confirmed order whose amount grows is checked again against the limit."""
        for order in self.filtered(lambda o: o.state == "sale" and not o._adv_credit_is_prepaid()):
            company = order.company_id
            if company.adv_credit_order_check == "none" or order.amount_total <= amounts_before.get(
                order.id, 0
            ):
                continue
            fact = order._adv_credit_facts(company)[order.id]
            if not (fact["limit"] > 0 and fact["exposure"] > fact["limit"]):
                continue
            partner = self.env["res.partner"].browse(fact["partner_id"])
            message = self.env._(
                "Increasing %(order)s puts %(customer)s over its credit limit (%(limit)s, exposure "
                "%(exposure)s).",
                order=order.name,
                customer=partner.display_name,
                limit=company.currency_id.format(fact["limit"]),
                exposure=company.currency_id.format(fact["exposure"]),
            )
            if company.adv_credit_order_check == "block" and not self.env.user.has_group(CREDIT_MANAGER):
                raise UserError(message + " " + self.env._("Only a Credit Manager can increase it."))
            order.message_post(body=message)

    def _adv_credit_start_of_work_message(self):
        """Refusal of deliveries and timesheets (bridge modules): says who can release the orders."""
        managers = self.env.ref(CREDIT_MANAGER).sudo().users.filtered(lambda u: not u.share and u.id != 1)
        return self.env._(
            "Work cannot start on %(orders)s: the order is on credit hold or the customer's account is "
            "blocked. A Credit Manager (%(managers)s) can release it.",
            orders=", ".join(self.mapped("name")),
            managers=", ".join(managers.mapped("name")) or self.env._("none defined"),
        )

import datetime
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount, html2plaintext, plaintext2html

from odoo.addons.adv_order_control.tools import InvoicingBlocker


@dataclass(frozen=True)
class InvoicingScope:
    """What an entry point is about to invoice, for the period-dependent blockers.

    ``date``: the invoicing cut-off (timesheets, PO validity, billing period); ``dates`` overrides it per
    order id; neither: today. ``period_bound``: a billing period is invoiced (the board and its
    invoices), so milestones reached after the cut-off wait for the next period; ``period_id``: that
    period, recorded on the invoices the board makes. ``amounts``: untaxed
    amount about to be invoiced per order id (PO ceiling). ``move_ids``: invoices being posted, which
    do not count as already consuming their PO.
    """

    date: datetime.date | None = None
    dates: dict = field(default_factory=dict)
    period_bound: bool = False
    period_id: int | None = None
    amounts: dict = field(default_factory=dict)
    move_ids: tuple = ()


# Set only by Python code (the board, the invoicing wizard, posting): a client cannot choose the
# cut-off its invoice is judged at, as it could with a context key.
_SCOPE = ContextVar("adv_invoicing_scope", default=None)


@contextmanager
def invoicing_scope(scope):
    token = _SCOPE.set(scope)
    try:
        yield
    finally:
        _SCOPE.reset(token)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    adv_billing_instruction_id = fields.Many2one(
        "adv.billing.instruction",
        string="Invoicing Instructions",
        compute="_compute_adv_billing_instruction_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        help="The customer's invoicing instructions; choose others to override them for this order.",
    )
    adv_po_ids = fields.One2many("adv.customer.po", "order_id", string="Customer POs")
    adv_preinvoice_ids = fields.One2many("adv.preinvoice", "order_id", string="Pre-invoice Lines")

    @api.depends("partner_id", "company_id")
    def _compute_adv_billing_instruction_id(self):
        partners = self.partner_id.commercial_partner_id
        instructions = self.env["adv.billing.instruction"].search(
            [("partner_id", "in", partners.ids), ("company_id", "in", self.company_id.ids)]
        )
        by_key = {(i.partner_id.id, i.company_id.id): i for i in instructions}
        for order in self:
            key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
            order.adv_billing_instruction_id = by_key.get(key, False)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._adv_check_instruction_override(["adv_billing_instruction_id" in vals for vals in vals_list])
        return orders

    def write(self, vals):
        result = super().write(vals)
        if "adv_billing_instruction_id" in vals:
            self._adv_check_instruction_override([True] * len(self))
        return result

    def _adv_check_instruction_override(self, sent):
        """Only the ADV team gives an order other invoicing instructions than its customer's: the PO
        and customer-validation rules they carry hold the salespeople who would lift them."""
        if self.env.su or self.env.user.has_group("adv_order_control.group_adv_user"):
            return
        instructions = (
            self.env["adv.billing.instruction"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        by_key = {(i.partner_id.id, i.company_id.id): i.id for i in instructions}
        for order, given in zip(self, sent, strict=True):
            own = by_key.get((order.partner_id.commercial_partner_id.id, order.company_id.id), False)
            if given and order.sudo().adv_billing_instruction_id.id != own:
                raise AccessError(
                    self.env._(
                        "Only the ADV team can give %s other invoicing instructions than its customer's.",
                        order.name,
                    )
                )

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        instruction = self.adv_billing_instruction_id
        values["adv_billing_instruction_id"] = instruction.id
        scope = _SCOPE.get()
        if scope and scope.period_id:
            values["adv_billing_period_id"] = scope.period_id
        if instruction.mandatory_mentions:
            mentions = plaintext2html(instruction.mandatory_mentions)
            note = values.get("narration") or ""
            values["narration"] = (
                Markup("%s%s") % (note, mentions) if html2plaintext(note).strip() else mentions
            )
        po = self._adv_valid_po((scope and scope.date) or fields.Date.context_today(self))
        if po and not values.get("ref"):
            values["ref"] = po.name
        return values

    def _adv_valid_po(self, day):
        """The order-level PO valid on ``day`` (or any PO when none has dates)."""
        self.ensure_one()
        valid = self.adv_po_ids.filtered(
            lambda p: (not p.date_start or p.date_start <= day) and (not p.date_end or p.date_end >= day)
        )
        return valid[:1]

    # ------------------------------------------------------------------ invoicing gate
    def _adv_invoicing_blockers(self):
        """Billing close's blockers: customer PO, milestone document, timesheets not validated, customer
        validation of the period's timesheet.

        Period-dependent blockers are judged at an invoicing cut-off that the entry point sets in Python
        (:func:`invoicing_scope`), never read from the client's context:

        - the pre-invoice board: its billing period's end, period-bound;
        - Odoo's invoicing wizard: its timesheet end date (sale_timesheet's
          ``date_end_invoice_timesheet``), else today, as it invoices the timesheets up to that date;
        - posting: the invoice's billing period end (period-bound) when the board made it, else the
          date of its latest timesheet, else its invoice date, else today;
        - anywhere else (warnings shown on a draft invoice): today.

        The billing period is the company's period containing the latest timesheet to invoice up to the
        cut-off: the customer validation is read on that period's board line. Milestones count while
        what they deliver is not on a posted invoice; when a period is invoiced, only those reached by
        its end, as the board invoices milestones by period (Odoo's wizard invoices every reached one).
        """
        result = super()._adv_invoicing_blockers()
        # The gate reads POs, milestones, timesheets and board lines whatever the user may open.
        for order_id, blockers in self.sudo()._adv_billing_blockers(_SCOPE.get() or InvoicingScope()).items():
            result.setdefault(order_id, []).extend(blockers)
        return result

    def _adv_billing_blockers(self, scope):
        result = defaultdict(list)
        today = fields.Date.context_today(self)
        cutoffs = {order.id: scope.dates.get(order.id) or scope.date or today for order in self}
        timesheets = self._adv_timesheet_facts(cutoffs)
        self._adv_po_blockers(scope, cutoffs, timesheets, result)
        for order in self.filtered(lambda o: o.company_id.adv_timesheet_collection):
            if timesheets[order.id]["unvalidated"]:
                result[order.id].append(
                    InvoicingBlocker(
                        code="timesheet_not_validated",
                        message=self.env._(
                            "Timesheets of the period are not validated yet: remind the managers."
                        ),
                    )
                )
        self._adv_milestone_blockers(scope, cutoffs, result)
        self._adv_customer_validation_blockers(timesheets, result)
        return result

    def _adv_timesheet_facts(self, cutoffs):
        """Per order, the timesheets still to invoice up to its cut-off (not on a posted invoice, or on
        a credited one): consultants, whether some are not validated, date of the latest."""
        facts = {order.id: {"employees": set(), "unvalidated": False, "last_date": False} for order in self}
        by_cutoff = defaultdict(list)
        for order_id, cutoff in cutoffs.items():
            by_cutoff[cutoff].append(order_id)
        for cutoff, order_ids in by_cutoff.items():
            groups = self.env["account.analytic.line"]._read_group(
                [
                    ("order_id", "in", order_ids),
                    ("project_id", "!=", False),
                    ("date", "<=", cutoff),
                    "|",
                    "|",
                    ("timesheet_invoice_id", "=", False),
                    ("timesheet_invoice_id.state", "in", ("draft", "cancel")),
                    ("timesheet_invoice_id.payment_state", "=", "reversed"),
                ],
                ["order_id", "employee_id", "adv_validated"],
                ["date:max"],
            )
            for order, employee, validated, last_date in groups:
                fact = facts[order.id]
                fact["employees"].add(employee.id)
                fact["unvalidated"] |= not validated
                fact["last_date"] = max(fact["last_date"] or last_date, last_date)
        return facts

    def _adv_po_blockers(self, scope, cutoffs, timesheets, result):
        po_orders = self.filtered(lambda o: o.adv_billing_instruction_id.po_required)
        pos = po_orders.adv_po_ids
        consumed = pos._consumed_by_po(exclude_move_ids=scope.move_ids)
        for order in po_orders:
            order_pos = pos.filtered(lambda p, o=order: p.order_id == o)
            needed = [self.env["hr.employee"]]
            if order.adv_billing_instruction_id.po_scope == "consultant":
                needed = self.env["hr.employee"].browse(sorted(timesheets[order.id]["employees"] - {False}))
            for employee in needed:
                candidates = order_pos.filtered(lambda p, e=employee: not e or p.employee_id == e)
                blocker = candidates._adv_invoicing_blocker(
                    cutoffs[order.id], employee, consumed, scope.amounts.get(order.id, 0.0)
                )
                if blocker:
                    result[order.id].append(blocker)

    def _adv_milestone_blockers(self, scope, cutoffs, result):
        """Reached milestones still to invoice that their required document does not accept yet."""
        milestones = self.env["project.milestone"]._adv_to_invoice(self, cutoffs, scope.period_bound)
        required = self.env["project.milestone"]._read_group(
            [("sale_line_id.order_id", "in", self.ids), ("adv_document_type_id", "!=", False)],
            ["sale_line_id", "adv_document_type_id"],
            ["__count"],
        )
        needed = defaultdict(int)
        for sale_line, doc_type, count in required:
            needed[sale_line.order_id.id, doc_type.id] += count
        shared = {key for key, count in needed.items() if count > 1}
        for milestone in milestones.filtered("adv_document_type_id"):
            if milestone._adv_is_accepted(shared):
                continue
            result[milestone.sale_line_id.order_id.id].append(
                InvoicingBlocker(
                    code="milestone_document",
                    message=self.env._(
                        "Milestone %(milestone)s needs its own document '%(document)s' before it can be "
                        "invoiced: receive it on the order and, when several milestones need it, select "
                        "this milestone's file on the milestone.",
                        milestone=milestone.name,
                        document=milestone.adv_document_type_id.name,
                    ),
                )
            )

    def _adv_customer_validation_blockers(self, timesheets, result):
        """Time is invoiced once the customer validated the timesheet of the period of the latest
        timesheet to invoice (recorded on that period's board line)."""
        orders = self.filtered(
            lambda o: o.adv_billing_instruction_id.customer_validation_required
            and timesheets[o.id]["last_date"]
        )
        if not orders:
            return
        lines = self.env["adv.preinvoice"].search(
            [("order_id", "in", orders.ids), ("customer_validated_on", "!=", False)]
        )
        for order in orders:
            day = timesheets[order.id]["last_date"]
            if not lines.filtered(
                lambda ln, o=order, d=day: ln.order_id == o
                and ln.period_id.date_start <= d <= ln.period_id.date_end
            ):
                result[order.id].append(
                    InvoicingBlocker(
                        code="customer_validation",
                        message=self.env._("The customer has not validated the period's timesheet yet."),
                    )
                )

    def _adv_format_amount(self, amount):
        self.ensure_one()
        return format_amount(self.env, amount, self.currency_id)

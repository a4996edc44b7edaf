from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.adv_order_control.tools import check_owned_fields, reader_env

OPEN_STATES = ("open", "investigating", "committee")
# The dispute's progress is recorded by its buttons, the committee and the escalation job only.
OWNED_FIELDS = dict.fromkeys(("state", "date_resolved", "escalated", "escalated_on", "credit_note_id"))


class AdvDispute(models.Model):
    _name = "adv.dispute"
    _description = "Customer Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, readonly=True, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('is_company', '=', True)]",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "adv_dispute_account_move_rel",
        "dispute_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_disputed = fields.Monetary(string="Disputed Amount", tracking=True)
    amount_invoices = fields.Monetary(string="Invoices Total", compute="_compute_amount_invoices", store=True)
    dispute_type = fields.Selection(
        [
            ("commercial", "Commercial"),
            ("billing", "Billing Error"),
            ("delivery", "Delivery / Quality"),
            ("financial", "Financial"),
        ],
        string="Type",
        required=True,
        default="commercial",
        tracking=True,
    )
    reason_id = fields.Many2one(
        "adv.dispute.reason",
        tracking=True,
        domain="['|', ('dispute_type', '=', False), ('dispute_type', '=', dispute_type)]",
    )
    description = fields.Html()
    owner = fields.Selection(
        [("adv", "ADV"), ("sales", "Sales"), ("delivery", "Delivery"), ("finance", "Finance")],
        required=True,
        default="adv",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    date_open = fields.Date(string="Opened On", required=True, default=fields.Date.context_today)
    deadline = fields.Date(
        string="Agreed Resolution Deadline",
        compute="_compute_deadline",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("investigating", "Investigating"),
            ("committee", "In Committee"),
            ("resolved", "Resolved"),
            ("cancel", "Cancelled"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    decision = fields.Selection(
        [
            ("credit_note", "Credit Note"),
            ("rejected", "Rejected"),
            ("reinvoice", "Re-invoice"),
            ("gesture", "Commercial Gesture"),
        ],
        tracking=True,
    )
    decision_note = fields.Text()
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    committee_id = fields.Many2one(
        "adv.dispute.committee", string="Committee Session", index="btree_not_null"
    )
    date_resolved = fields.Date(
        string="Resolved On",
        readonly=True,
        copy=False,
        tracking=True,
        help="Day the dispute reached the resolved state; cleared when it is reopened.",
    )
    escalated = fields.Boolean(readonly=True, copy=False, tracking=True)
    escalated_on = fields.Date(readonly=True, copy=False)
    is_late = fields.Boolean(compute="_compute_is_late")
    order_ids = fields.Many2many(
        "sale.order",
        string="Sales Orders",
        compute="_compute_order_ids",
        help="Orders the invoices come from.",
    )
    invoice_count = fields.Integer(compute="_compute_order_ids")
    order_count = fields.Integer(compute="_compute_order_ids")

    # ------------------------------------------------------------ compute methods
    @api.depends("invoice_ids.amount_total_signed")
    def _compute_amount_invoices(self):
        for dispute in self:
            dispute.amount_invoices = sum(dispute.invoice_ids.mapped("amount_total_signed"))

    @api.onchange("reason_id")
    def _onchange_reason_id(self):
        if self.reason_id.dispute_type:
            self.dispute_type = self.reason_id.dispute_type

    @api.depends("invoice_ids")
    def _compute_order_ids(self):
        for dispute in self:
            invoices = dispute.invoice_ids
            dispute.order_ids = invoices.sudo().line_ids.sale_line_ids.order_id.ids
            dispute.invoice_count = len(invoices)
            dispute.order_count = len(dispute.order_ids)

    @api.depends("dispute_type", "date_open", "company_id")
    def _compute_deadline(self):
        for dispute in self:
            days = (
                dispute.company_id[f"adv_dispute_sla_{dispute.dispute_type}"] if dispute.dispute_type else 0
            )
            dispute.deadline = dispute.date_open and dispute.date_open + timedelta(days=days)

    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            dispute.is_late = (
                dispute.state in OPEN_STATES and bool(dispute.deadline) and dispute.deadline < today
            )

    # ------------------------------------------------------------ constraint methods
    @api.constrains("amount_disputed", "invoice_ids")
    def _check_amount_disputed(self):
        # The disputed amount leaves the customer's exposure for decisions: it must stand on invoices of
        # the customer and never exceed what is still open on them.
        for dispute in self:
            if dispute.amount_disputed <= 0:
                raise ValidationError(self.env._("The disputed amount must be positive."))
            if not dispute.invoice_ids:
                raise ValidationError(
                    self.env._("Link dispute %s to the customer invoices it is about.", dispute.name)
                )
            invoices = dispute.invoice_ids.sudo()
            if invoices.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted"):
                raise ValidationError(
                    self.env._(
                        "A dispute covers posted customer invoices only (not drafts nor credit notes)."
                    )
                )
            residual = sum(invoices.mapped("amount_residual_signed"))
            if dispute.currency_id.compare_amounts(dispute.amount_disputed, residual) > 0:
                raise ValidationError(
                    self.env._(
                        "The disputed amount (%(amount)s) exceeds what is still open on the invoices "
                        "(%(open)s): lower it to the open amount at most.",
                        amount=dispute.currency_id.format(dispute.amount_disputed),
                        open=dispute.currency_id.format(residual),
                    )
                )

    @api.constrains("date_open", "deadline")
    def _check_deadline(self):
        for dispute in self:
            if dispute.deadline and dispute.date_open and dispute.deadline < dispute.date_open:
                raise ValidationError(
                    self.env._(
                        "The resolution deadline of %(dispute)s (%(deadline)s) is before its opening "
                        "(%(opened)s): set a deadline on or after the opening date.",
                        dispute=dispute.name,
                        deadline=dispute.deadline,
                        opened=dispute.date_open,
                    )
                )

    @api.constrains("partner_id", "invoice_ids")
    def _check_invoice_partner(self):
        for dispute in self:
            if dispute.invoice_ids.commercial_partner_id - dispute.partner_id:
                raise ValidationError(self.env._("A dispute only covers invoices of its own customer."))

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("adv.dispute") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        # Set at the state change itself (not in a lazy compute) so the date is the day it happened.
        if vals.get("state") == "resolved" and "date_resolved" not in vals:
            newly = self.filtered(lambda d: d.state != "resolved")
            if newly != self:
                return super(AdvDispute, self - newly).write(vals) and newly.write(vals)
            vals = dict(vals, date_resolved=fields.Date.context_today(self))
        elif vals.get("state") in OPEN_STATES:
            vals = dict(vals, date_resolved=False)
        return super().write(vals)

    # ------------------------------------------------------------ actions
    def action_investigate(self):
        self._adv_check_open()
        return self._adv_set_state("investigating")

    def action_send_to_committee(self):
        self._adv_check_open()
        return self._adv_set_state("committee")

    def action_cancel(self):
        self._adv_check_open()
        return self._adv_set_state("cancel")

    def action_reopen(self):
        """A resolved or cancelled dispute goes back to investigation: the credit team's decision."""
        if not self.env.user.has_group("adv_credit_mgmt.group_credit_controller"):
            raise AccessError(
                self.env._("Only the credit team (Credit Controller) reopens a closed dispute.")
            )
        if self.filtered(lambda d: d.state in OPEN_STATES):
            raise UserError(self.env._("Only a resolved or cancelled dispute can be reopened."))
        result = self._adv_set_state("investigating")
        for dispute in self:
            dispute.message_post(body=self.env._("Dispute reopened by %s.", self.env.user.name))
        return result

    def action_resolve(self):
        self._adv_check_open()
        for dispute in self:
            if not dispute.decision:
                raise UserError(
                    self.env._("Record the decision of dispute %s before resolving it.", dispute.name)
                )
            if dispute.decision == "credit_note" and not dispute.credit_note_id:
                dispute.sudo().credit_note_id = dispute._adv_create_credit_note()
        return self._adv_set_state("resolved")

    def action_open_invoices(self):
        self.ensure_one()
        return self._adv_records_action("account.move", self.invoice_ids, self.env._("Disputed Invoices"))

    def action_open_orders(self):
        self.ensure_one()
        return self._adv_records_action("sale.order", self.order_ids, self.env._("Sales Orders"))

    def action_open_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.credit_note_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------ business methods
    @api.model
    def _adv_records_action(self, model, records, name):
        """Window action on ``records``: their form when there is one, their list otherwise."""
        action = {"type": "ir.actions.act_window", "res_model": model, "name": name}
        if len(records) == 1:
            return dict(action, res_id=records.id, view_mode="form", views=[(False, "form")])
        return dict(
            action,
            domain=[("id", "in", records.ids)],
            view_mode="list,form",
            views=[(False, "list"), (False, "form")],
        )

    def _adv_set_state(self, state, **values):
        """The one way a user moves disputes: as whoever may edit them, then written by the flow."""
        self.check_access("write")
        return self.sudo().write(dict(values, state=state))

    def _adv_check_open(self):
        closed = self.filtered(lambda d: d.state not in OPEN_STATES)
        if closed:
            raise UserError(self.env._("Dispute(s) %s are already closed.", ", ".join(closed.mapped("name"))))

    def _adv_create_credit_note(self):
        """Draft credit note of the disputed amount, reversing the first disputed invoice."""
        self.ensure_one()
        invoice = self.invoice_ids[:1]
        if not invoice:
            raise UserError(self.env._("Link the disputed invoice before deciding on a credit note."))
        account = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")[
            :1
        ].account_id
        return (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": self.company_id.id,
                    "reversed_entry_id": invoice.id,
                    "invoice_origin": self.name,
                    "ref": self.env._("Dispute %s", self.name),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._(
                                    "Dispute %(name)s: %(type)s", name=self.name, type=self.dispute_type
                                ),
                                "quantity": 1,
                                "price_unit": self.amount_disputed,
                                "account_id": account.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    @api.model
    def _cron_escalate(self):
        """Open disputes past their agreed deadline escalate to the credit manager once."""
        late = self.search(
            [
                ("state", "in", OPEN_STATES),
                ("deadline", "<", fields.Date.context_today(self)),
                ("escalated", "=", False),
            ]
        )
        for dispute in late:
            dispute.sudo().write({"escalated": True, "escalated_on": fields.Date.context_today(self)})
            manager = dispute._adv_credit_manager_user()
            env = reader_env(self.env, manager)
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Dispute past its agreed deadline"),
                note=env._("Deadline was %s: decide or escalate to the committee.", dispute.deadline),
                user_id=manager.id,
            )
        return late

    def _adv_credit_manager_user(self):
        self.ensure_one()
        users = self.env.ref("adv_credit_mgmt.group_credit_manager").sudo().users
        users = users.filtered(lambda u: not u.share and self.company_id in u.company_ids and u.id != 1)
        return users.sorted("id")[:1] or self.user_id or self.env.user

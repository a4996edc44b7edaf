from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.adv_order_control.tools import flow, in_flow

from .adv_dispute import OPEN_STATES
from .res_partner import CREDIT_CONTROLLER, CREDIT_DATA, CREDIT_MANAGER
from .sale_order import override_flow


def override_move_flow(move_id):
    """Server-side flow under which a Credit Manager posts invoice ``move_id`` over a credit block."""
    return f"adv_credit_override_invoice:{move_id}"


class AccountMove(models.Model):
    _inherit = "account.move"

    adv_dispute_ids = fields.Many2many(
        "adv.dispute", "adv_dispute_account_move_rel", "move_id", "dispute_id", string="Disputes", copy=False
    )
    # On a credit note: the disputes it settled (their credit_note_id), linked both ways.
    adv_settled_dispute_ids = fields.One2many("adv.dispute", "credit_note_id", string="Disputes Settled")
    adv_disputed = fields.Boolean(
        string="Disputed", compute="_compute_adv_disputed", store=True, index="btree_not_null"
    )
    adv_dunning_excluded = fields.Boolean(
        string="Excluded from Reminders",
        copy=False,
        tracking=True,
        help="No payment reminder for this invoice.",
    )
    adv_reminder_ids = fields.One2many("adv.dunning.reminder", "move_id", string="Reminders")
    adv_dispute_count = fields.Integer(string="Dispute Count", compute="_compute_adv_dispute_count")
    adv_dunning_level_id = fields.Many2one(
        "adv.dunning.level", string="Last Reminder Level", copy=False, readonly=True, index="btree_not_null"
    )
    # It tells the block reason: credit data.
    adv_credit_warning = fields.Char(
        string="Credit Warning", compute="_compute_adv_credit_warning", groups=CREDIT_DATA
    )
    adv_credit_post_blocked = fields.Boolean(
        string="Stopped by Credit Control",
        compute="_compute_adv_credit_post_blocked",
        help="A draft customer invoice that credit control stops: the customer's account is blocked, or "
        "one of its orders is on credit hold. Only a Credit Manager posts it, with a reason.",
    )

    # ------------------------------------------------------------ compute methods
    @api.depends("adv_dispute_ids.state")
    def _compute_adv_disputed(self):
        for move in self:
            move.adv_disputed = any(d.state not in ("resolved", "cancel") for d in move.adv_dispute_ids)

    @api.depends("adv_dispute_ids", "adv_settled_dispute_ids")
    def _compute_adv_dispute_count(self):
        for move in self:
            move.adv_dispute_count = len(move.adv_dispute_ids | move.adv_settled_dispute_ids)

    @api.depends("partner_id", "move_type", "state")
    def _compute_adv_credit_warning(self):
        for move in self:
            move.adv_credit_warning = False
            if move.state == "draft" and move._adv_credit_post_check_applies():
                move.adv_credit_warning = self.env._(
                    "The account of %(customer)s is blocked: %(reason)s",
                    customer=move.commercial_partner_id.display_name,
                    reason=move.commercial_partner_id.sudo().adv_credit_block_reason or "-",
                )

    @api.depends("partner_id", "move_type", "state", "line_ids.sale_line_ids")
    def _compute_adv_credit_post_blocked(self):
        for move in self:
            move.adv_credit_post_blocked = (
                move.state == "draft"
                and move.move_type == "out_invoice"
                and bool(move._adv_credit_post_block_codes())
            )

    # ------------------------------------------------------------ actions
    def action_post(self):
        self._adv_credit_check_posting()
        return super().action_post()

    def action_adv_credit_post_override(self):
        """Open the wizard in which a Credit Manager posts these invoices over a credit block."""
        self._adv_credit_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Post over the Credit Block"),
            "res_model": "adv.credit.post.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def action_adv_toggle_dunning_exclusion(self):
        for move in self:
            move.adv_dunning_excluded = not move.adv_dunning_excluded

    def action_adv_process_reminders(self):
        """Mass action on invoices: build the reminders that are due for them now.

        Reminders are sent as superuser: the credit team only, on invoices of the companies the user
        works in (ids sent over RPC are not checked by record rules in the SQL that selects them).
        """
        if not self.env.user.has_group(CREDIT_CONTROLLER):
            raise AccessError(self.env._("Only the credit team can send payment reminders."))
        companies = self.env.user.company_ids
        moves = self.browse(self.sudo().filtered(lambda m: m.company_id in companies).ids)
        reminders = self.env["adv.dunning.reminder"]._adv_process_due(moves)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("%s reminder(s) created.", len(reminders)),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_adv_view_disputes(self):
        self.ensure_one()
        return self.env["adv.dispute"]._adv_records_action(
            "adv.dispute", self.adv_dispute_ids | self.adv_settled_dispute_ids, self.env._("Disputes")
        )

    def action_adv_open_dispute(self):
        """A new dispute on these invoices; an invoice already disputed opens its open dispute instead
        (one dispute at a time per invoice)."""
        open_disputes = self.adv_dispute_ids.filtered(lambda d: d.state in OPEN_STATES)
        if open_disputes:
            return self.env["adv.dispute"]._adv_records_action(
                "adv.dispute", open_disputes, self.env._("Open Disputes")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Dispute"),
            "res_model": "adv.dispute",
            "view_mode": "form",
            "context": {
                "default_partner_id": self[:1].commercial_partner_id.id,
                "default_invoice_ids": self.ids,
                "default_amount_disputed": sum(self.mapped("amount_residual")),
            },
        }

    # ------------------------------------------------------------ business methods
    def _adv_set_dunning_level(self, level):
        """Record the last reminder level sent. Collection data, not accounting: Odoo's invoice write
        would resynchronise the journal items (about 40 % of a reminder's time in the reminder run) and
        flag the invoice as manually modified, neither of which a level changes."""
        self.with_context(skip_invoice_sync=True, skip_is_manually_modified=True).adv_dunning_level_id = level

    def _adv_log_note(self, body):
        """Post the note ``body`` on each invoice of ``self``: in one batch, without notification, on the
        invoices where nobody follows notes (the usual case); with ``message_post`` on the others, so that
        their followers are notified as before."""
        if not self:
            return
        note = self.env.ref("mail.mt_note")
        self.env.cr.execute(
            """
            SELECT DISTINCT f.res_id FROM mail_followers f
              JOIN mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id
             WHERE f.res_model = 'account.move' AND f.res_id = ANY(%s) AND r.mail_message_subtype_id = %s
            """,
            [self.ids, note.id],
        )
        followed = self.browse([row[0] for row in self.env.cr.fetchall()])
        quiet = self - followed
        quiet._message_log_batch({move.id: escape(body) for move in quiet}, message_type="notification")
        for move in followed:
            move.message_post(body=body)

    def _adv_credit_post_check_applies(self):
        """Customer invoices (never credit notes) of a blocked account, in a company that checks them."""
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.company_id.adv_credit_invoice_check != "none"
            and bool(self.partner_id)
            and self.partner_id.with_company(self.company_id)._adv_credit_is_blocked()
        )

    def _adv_credit_post_block_codes(self):
        """Codes of what credit control opposes to posting this invoice: ``credit_account_blocked``
        (blocked account, invoice check set to block) and ``credit_hold`` (an order on credit hold)."""
        self.ensure_one()
        codes = []
        if self._adv_credit_post_check_applies() and self.company_id.adv_credit_invoice_check == "block":
            codes.append("credit_account_blocked")
        if any(self.sudo().line_ids.sale_line_ids.order_id.mapped("adv_credit_hold")):
            codes.append("credit_hold")
        return codes

    def _adv_credit_check_manager(self):
        if not self.env.user.has_group(CREDIT_MANAGER):
            raise AccessError(self.env._("Only a Credit Manager can post an invoice over a credit block."))

    def _adv_credit_check_posting(self):
        """Refuse invoices of blocked accounts (the context never lifts it: a Credit Manager posts them
        through the override wizard, _adv_credit_post_overridden); warn in the chatter otherwise."""
        for move in self.filtered(lambda m: m._adv_credit_post_check_applies()):
            if move.company_id.adv_credit_invoice_check == "block" and not move._adv_credit_overridden():
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s cannot be posted: the account of %(customer)s is blocked. "
                        "A Credit Manager must reopen the account, or post the invoice over the block "
                        "with a reason (Post over the Credit Block).",
                        invoice=move.display_name,
                        customer=move.commercial_partner_id.display_name,
                    )
                )
            move.message_post(body=move.sudo().adv_credit_warning)

    def _adv_credit_overridden(self):
        """Whether this invoice is being posted by _adv_credit_post_overridden (server-side flow)."""
        self.ensure_one()
        return in_flow(override_move_flow(self.id))

    def _adv_credit_post_overridden(self, reason):
        """Post these invoices over their credit blocks: a Credit Manager's decision, logged per invoice
        and block in adv.credit.override. The flows lift the blocks for these invoices and their orders
        only, for this posting only."""
        self._adv_credit_check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for posting over the credit block."))
        logs = []
        for move in self:
            if move.state != "draft" or move.move_type != "out_invoice":
                raise UserError(
                    self.env._(
                        "%s is not a draft customer invoice: there is nothing to post.", move.display_name
                    )
                )
            codes = move._adv_credit_post_block_codes()
            if not codes:
                raise UserError(
                    self.env._(
                        "%s is not stopped by credit control: post it the usual way.", move.display_name
                    )
                )
            logs += [
                {
                    "partner_id": move.commercial_partner_id.id,
                    "company_id": move.company_id.id,
                    "move_id": move.id,
                    "kind": "invoice",
                    "code": code,
                    "reason": reason,
                }
                for code in codes
            ]
        self.env["adv.credit.override"].sudo().create(logs)
        orders = self.sudo().line_ids.sale_line_ids.order_id
        names = [override_move_flow(move.id) for move in self] + [override_flow(o.id) for o in orders]
        with flow(*names):
            return self.action_post()

from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    adv_dispute_ids = fields.Many2many(
        "adv.dispute", "adv_dispute_account_move_rel", "move_id", "dispute_id", string="Disputes", copy=False
    )
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
    adv_dunning_level_id = fields.Many2one(
        "adv.dunning.level", string="Last Reminder Level", copy=False, readonly=True, index="btree_not_null"
    )
    adv_credit_warning = fields.Char(string="Credit Warning", compute="_compute_adv_credit_warning")

    # ------------------------------------------------------------ compute methods
    @api.depends("adv_dispute_ids.state")
    def _compute_adv_disputed(self):
        for move in self:
            move.adv_disputed = any(d.state not in ("resolved", "cancel") for d in move.adv_dispute_ids)

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

    # ------------------------------------------------------------ actions
    def action_post(self):
        self._adv_credit_check_posting()
        return super().action_post()

    def action_adv_toggle_dunning_exclusion(self):
        for move in self:
            move.adv_dunning_excluded = not move.adv_dunning_excluded

    def action_adv_process_reminders(self):
        """Mass action on invoices: build the reminders that are due for them now."""
        reminders = self.env["adv.dunning.reminder"]._adv_process_due(self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("%s reminder(s) created.", len(reminders)),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_adv_open_dispute(self):
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
    def _adv_credit_post_check_applies(self):
        """Customer invoices (never credit notes) of a blocked account, in a company that checks them."""
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.company_id.adv_credit_invoice_check != "none"
            and bool(self.partner_id)
            and self.partner_id.with_company(self.company_id)._adv_credit_is_blocked()
        )

    def _adv_credit_check_posting(self):
        reason = self.env.context.get("adv_credit_override_reason")
        is_manager = self.env.user.has_group("adv_credit_mgmt.group_credit_manager")
        for move in self.filtered(lambda m: m._adv_credit_post_check_applies()):
            blocking = move.company_id.adv_credit_invoice_check == "block"
            if blocking and not (reason and is_manager):
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s cannot be posted: the account of %(customer)s is blocked. "
                        "A Credit Manager must reopen the account, or post the invoice with an override "
                        "reason.",
                        invoice=move.display_name,
                        customer=move.commercial_partner_id.display_name,
                    )
                )
            if blocking:
                self.env["adv.credit.override"].sudo().create(
                    {
                        "partner_id": move.commercial_partner_id.id,
                        "company_id": move.company_id.id,
                        "move_id": move.id,
                        "kind": "invoice",
                        "code": "credit_account_blocked",
                        "reason": reason,
                    }
                )
            move.message_post(body=move.adv_credit_warning)

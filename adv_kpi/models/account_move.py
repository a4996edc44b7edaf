from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    adv_agent_id = fields.Many2one(
        "res.users",
        string="ADV Agent",
        index="btree_not_null",
        copy=False,
        domain="[('share', '=', False)]",
        help="Sales administration agent who issued the customer invoice or credit note: the internal "
        "user who created it, unless changed. Used by the productivity KPIs.",
    )
    adv_refund_reason = fields.Selection(
        [
            ("billing_error", "Billing error"),
            ("commercial", "Commercial gesture"),
            ("return", "Return or cancellation"),
            ("dispute", "Dispute settlement"),
            ("other", "Other"),
        ],
        string="Credit Note Reason",
        copy=False,
        index="btree_not_null",
        help="Why the credit note was issued; credit notes for billing errors feed the billing-error rate.",
    )

    # ------------------------------------------------------------------ constraints
    @api.constrains("adv_refund_reason", "move_type")
    def _check_adv_refund_reason(self):
        for move in self:
            if move.adv_refund_reason and move.move_type != "out_refund":
                raise ValidationError(
                    self.env._(
                        "%s: a credit note reason belongs on customer credit notes only; clear it.",
                        move.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        user = self.env.user
        if not self.env.su and user._is_internal():
            for vals in vals_list:
                if vals.get("move_type", self.env.context.get("default_move_type")) in (
                    "out_invoice",
                    "out_refund",
                ):
                    vals.setdefault("adv_agent_id", user.id)
        return super().create(vals_list)

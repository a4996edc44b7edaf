from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    adv_refund_reason = fields.Selection(
        selection=lambda self: self.env["account.move"]._fields["adv_refund_reason"].selection,
        string="Credit Note Reason",
        help="Recorded on the credit note; billing errors feed the billing-error rate of the ADV KPIs.",
    )
    adv_refund_reason_allowed = fields.Boolean(
        string="Reverses Customer Invoices",
        compute="_compute_adv_refund_reason_allowed",
        help="The reason is asked only when customer invoices are reversed (into customer credit notes).",
    )

    # ------------------------------------------------------------------ compute
    @api.depends("move_ids")
    def _compute_adv_refund_reason_allowed(self):
        for wizard in self:
            wizard.adv_refund_reason_allowed = wizard._adv_reverses_customer_invoices()

    # ------------------------------------------------------------------ constraints
    @api.constrains("adv_refund_reason", "move_ids")
    def _check_adv_refund_reason(self):
        for wizard in self:
            if wizard.adv_refund_reason and not wizard._adv_reverses_customer_invoices():
                raise ValidationError(
                    self.env._(
                        "A credit note reason is for reversing customer invoices only: clear it to reverse "
                        "vendor bills, credit notes or other entries."
                    )
                )

    # ------------------------------------------------------------------ business
    def _adv_reverses_customer_invoices(self):
        self.ensure_one()
        return bool(self.move_ids) and all(move.move_type == "out_invoice" for move in self.move_ids)

    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        if self.adv_refund_reason and move.move_type == "out_invoice":
            values["adv_refund_reason"] = self.adv_refund_reason
        return values

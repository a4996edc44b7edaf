from odoo import fields, models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    adv_refund_reason = fields.Selection(
        selection=lambda self: self.env["account.move"]._fields["adv_refund_reason"].selection,
        string="Credit Note Reason",
        help="Recorded on the credit note; billing errors feed the billing-error rate of the ADV KPIs.",
    )

    # ------------------------------------------------------------------ business
    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        if self.adv_refund_reason and move.move_type == "out_invoice":
            values["adv_refund_reason"] = self.adv_refund_reason
        return values

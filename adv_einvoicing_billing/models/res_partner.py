from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _adv_einvoice_po_required(self, instruction=None):
        """adv_order_control's "Requires PO Number", or the invoicing instruction's "PO Number Required".

        ``instruction``: the document's own instructions (an order can be given other instructions than
        its customer's, and its invoices carry them); by default the customer's in the current company,
        as adv_billing_close picks them for a new order."""
        if instruction is None:
            instruction = self._adv_billing_instruction()
        # Read as superuser: the mention is required whoever posts, whatever instructions they may read.
        return super()._adv_einvoice_po_required() or instruction.sudo().po_required

    def _adv_billing_instruction(self):
        """This customer's active invoicing instructions in the current company (at most one)."""
        self.ensure_one()
        return (
            self.env["adv.billing.instruction"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                ],
                limit=1,
            )
        )

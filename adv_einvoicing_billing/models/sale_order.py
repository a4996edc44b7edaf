from dataclasses import replace

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _adv_einvoice_mention_facts(self):
        # On an order, the PO its instructions require is billing close's own blocker (customer POs: valid,
        # not consumed), not a second one here: only adv_order_control's "Requires PO Number" stays a
        # mention. Its invoice's PO number is the Customer Reference, else the customer PO valid today
        # that invoicing writes there (``_prepare_invoice``).
        facts = super()._adv_einvoice_mention_facts()
        po = self.sudo()._adv_valid_po(fields.Date.context_today(self))
        return replace(
            facts,
            ref=facts.ref or po.name or "",
            po_required=facts.customer._adv_einvoice_po_required(self.env["adv.billing.instruction"]),
        )

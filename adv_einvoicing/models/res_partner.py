from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _adv_einvoice_po_required(self):
        """Whether this customer (a commercial partner, in the invoicing company) requires its purchase
        order number on its invoices: adv_order_control's "Requires PO Number". Override to read other
        invoicing instructions (e.g. in a bridge with adv_billing_close)."""
        self.ensure_one()
        return self.adv_requires_customer_ref

from odoo import api, fields, models


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    adv_invoicing_warning = fields.Text(string="ADV Warning", compute="_compute_adv_invoicing_warning")

    @api.depends("sale_order_ids")
    def _compute_adv_invoicing_warning(self):
        for wizard in self:
            blockers = wizard.sale_order_ids._adv_invoicing_blockers()
            wizard.adv_invoicing_warning = (
                "\n".join(b.message for lst in blockers.values() for b in lst) or False
            )

    def create_invoices(self):
        self.sale_order_ids._adv_invoicing_check()
        return super().create_invoices()

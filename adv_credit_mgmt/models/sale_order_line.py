from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        before = {order.id: order.amount_total for order in orders if order.state == "sale"}
        lines = super().create(vals_list)
        if before:
            lines.order_id._adv_credit_recheck_increase(before)
        return lines

    def write(self, vals):
        confirmed = self.order_id.filtered(lambda o: o.state == "sale")
        before = {order.id: order.amount_total for order in confirmed}
        res = super().write(vals)
        if before and {"product_uom_qty", "price_unit", "discount", "tax_id"} & set(vals):
            confirmed._adv_credit_recheck_increase(before)
        return res

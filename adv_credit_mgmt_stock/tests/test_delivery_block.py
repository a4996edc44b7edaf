from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDeliveryBlock(TransactionCase):
    def test_delivery_of_held_order_refused_when_configured(self):
        customer = self.env["res.partner"].create({"name": "Held Logistics", "is_company": True})
        product = self.env["product.product"].create({"name": "Crate", "is_storable": True})
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        order.action_confirm()
        picking = order.picking_ids
        order.adv_credit_hold = True
        self.env.company.adv_credit_work_block = True
        with self.assertRaisesRegex(UserError, "Credit Manager"):
            picking.button_validate()
        self.env.company.adv_credit_work_block = False
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

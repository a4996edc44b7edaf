from odoo.tests import HttpCase, tagged

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestTour(HttpCase):
    def test_provisional_confirmation_tour(self):
        self.env["adv.document.type"].search([]).active = False
        AdvOrderControlCommon._require(self.env.ref("adv_order_control.doc_type_purchase_order"))
        customer = self.env["res.partner"].create({"name": "Tour Customer SA", "is_company": True})
        product = self.env["product.product"].create(
            {"name": "Tour consulting", "type": "service", "list_price": 500}
        )
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [(0, 0, {"product_id": product.id})]}
        )
        self.start_tour(f"/odoo/sales/{order.id}", "adv_order_control_provisional_tour", login="admin")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "complete")
        self.assertTrue(any("Customer PO expected" in body for body in order.message_ids.mapped("body")))

from odoo.tests import tagged

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestDisputeLinks(AdvCreditCommon):
    def test_invoice_dispute_order_links(self):
        order = self._order(self.customer, 800.0, confirm=True)
        invoice = order._create_invoices()
        invoice.action_post()

        action = invoice.with_user(self.adv_user).action_adv_open_dispute()
        self.assertFalse(action.get("res_id"), "no dispute yet: a new one")
        self.assertEqual(action["context"]["default_invoice_ids"], invoice.ids)
        dispute = self.env["adv.dispute"].create(
            {"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 200.0}
        )

        action = invoice.with_user(self.adv_user).action_adv_open_dispute()
        self.assertEqual((action["res_model"], action["res_id"]), ("adv.dispute", dispute.id))
        self.assertEqual(invoice.adv_dispute_count, 1)
        self.assertEqual(invoice.action_adv_view_disputes()["res_id"], dispute.id)
        self.assertEqual(dispute.order_ids, order)
        self.assertEqual(dispute.action_open_orders()["res_id"], order.id)
        self.assertEqual(dispute.action_open_invoices()["res_id"], invoice.id)
        self.assertEqual(order.adv_dispute_ids, dispute)
        self.assertEqual(order.action_adv_view_disputes()["res_id"], dispute.id)
        order.invalidate_recordset(["adv_dispute_ids", "adv_dispute_count"])
        self.assertEqual(order.with_user(self.salesman).adv_dispute_count, 0, "salespeople see no disputes")

        dispute.action_cancel()
        action = invoice.with_user(self.adv_user).action_adv_open_dispute()
        self.assertFalse(action.get("res_id"), "the dispute is closed: a new one may be opened")

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCreditTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.adv_credit_order_check = "block"
        cls.adv_user = new_test_user(
            cls.env,
            "tour_adv_user",
            groups="adv_order_control.group_adv_user,sales_team.group_sale_salesman_all_leads",
        )
        cls.credit_manager = new_test_user(
            cls.env,
            "tour_credit_manager",
            groups="adv_credit_mgmt.group_credit_manager,sales_team.group_sale_salesman_all_leads",
        )
        customer = cls.env["res.partner"].create({"name": "Tour Over Limit", "is_company": True})
        customer.credit_limit = 100.0
        product = cls.env["product.product"].create({"name": "Tour pump", "list_price": 500.0})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": cls.adv_user.id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 500.0})],
            }
        )

    def test_over_limit_refused_then_overridden_by_credit_manager(self):
        url = f"/odoo/action-sale.action_quotations_with_onboarding/{self.order.id}"
        self.start_tour(url, "adv_credit_over_limit_refused", login=self.adv_user.login)
        self.assertEqual(self.order.state, "draft")
        self.start_tour(url, "adv_credit_manager_override", login=self.credit_manager.login)
        self.assertEqual(self.order.state, "sale")
        log = self.env["adv.credit.override"].search([("order_id", "=", self.order.id)])
        self.assertEqual(log.user_id, self.credit_manager)
        self.assertIn("Bank guarantee", log.reason)


@tagged("post_install", "-at_install")
class TestCreditQueueTour(HttpCase):
    """Credit work from the ADV overview: each card of this module opens the records behind it, and the
    act done there (release a hold with a reason, send a late dispute to the committee) is recorded."""

    def test_credit_cards_open_their_list_and_act(self):
        manager = new_test_user(
            self.env,
            "tour_queue_credit_manager",
            groups="adv_credit_mgmt.group_credit_manager,account.group_account_invoice,"
            "sales_team.group_sale_salesman_all_leads",
        )
        Partner = self.env["res.partner"]
        product = self.env["product.product"].create({"name": "Tour valve", "list_price": 700.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": Partner.create({"name": "Tour Hold Customer", "is_company": True}).id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 700.0})],
            }
        )
        order.action_confirm()
        order._adv_credit_put_on_hold("Over the credit limit")
        self.assertTrue(order.adv_credit_hold)

        today = fields.Date.context_today(order)
        customer = Partner.create({"name": "Tour Dispute Customer", "is_company": True})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=45),
                "invoice_line_ids": [
                    Command.create({"name": "Tour valve", "quantity": 1, "price_unit": 900.0})
                ],
            }
        )
        invoice.action_post()
        dispute = self.env["adv.dispute"].create(
            {
                "partner_id": customer.id,
                "invoice_ids": invoice.ids,
                "amount_disputed": 300.0,
                "date_open": today - timedelta(days=40),
                "deadline": today - timedelta(days=5),
            }
        )
        card = self.env.ref("adv_credit_mgmt.work_queue_disputes_late").with_user(manager)
        self.assertIn(dispute, self.env["adv.dispute"].search(card.action_open()["domain"]))

        self.start_tour("/odoo", "adv_credit_queue_tour", login=manager.login)
        self.assertFalse(order.adv_credit_hold)
        log = self.env["adv.credit.override"].search([("order_id", "=", order.id)])
        self.assertEqual(log.kind, "hold_release")
        self.assertEqual(log.user_id, manager)
        self.assertEqual(log.reason, "Payment promised by the customer's CFO")
        self.assertEqual(dispute.state, "committee")

from odoo import Command
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

"""Issue 11: the Credit tab of the customer form, where the exposure is shown, holds the credit limit."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestCreditTab(AdvCreditCommon):
    def test_credit_manager_sets_the_limit_on_the_credit_tab(self):
        self.company.adv_credit_order_check = "block"
        with Form(self.customer.with_user(self.manager)) as form:
            self.assertTrue(form.adv_credit_no_limit)
            form.adv_credit_limit = 8000.0
        self.assertEqual(self.customer.sudo().credit_limit, 8000.0)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.adv_credit_limit_effective, 8000.0)
        self.assertFalse(self.customer.adv_credit_no_limit)
        self.assertNotEqual(self.customer.adv_credit_limit_display, "No limit")
        self.assertEqual(self.customer.adv_credit_remaining, 8000.0)
        log = self.env["adv.credit.override"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(log.mapped("new_value"), ["8000.0"])

    def test_credit_controller_reads_the_limit_but_cannot_set_it(self):
        self.company.adv_credit_order_check = "block"
        self.customer.credit_limit = 3000.0
        form = Form(self.customer.with_user(self.controller))
        self.assertEqual(form.adv_credit_limit, 3000.0)
        with self.assertRaises(AssertionError):  # readonly on the tab
            form.adv_credit_limit = 9000.0
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).write({"adv_credit_limit": 9000.0})
        # Not even while every credit check is off: Odoo's own field stays the accountants'.
        self.company.adv_credit_order_check = "none"
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).write({"adv_credit_limit": 9000.0})
        self.assertEqual(self.customer.sudo().credit_limit, 3000.0)

    def test_no_limit_is_said_in_words(self):
        self.customer.credit_limit = 0.0
        customer = self.customer.with_user(self.controller)
        self.assertTrue(customer.adv_credit_no_limit)
        self.assertEqual(customer.adv_credit_limit_display, "No limit")
        self.assertFalse(customer.adv_credit_over_limit)
        self.customer.credit_limit = 1500.0
        customer.invalidate_recordset()
        self.assertFalse(customer.adv_credit_no_limit)
        self.assertIn("1,500.00", customer.adv_credit_limit_display)

    def test_our_companies_are_not_listed_as_customers(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("adv_credit_mgmt.action_adv_credit_customers")
        listed = self.env["res.partner"].with_user(self.controller).search(safe_eval(action["domain"]))
        self.assertIn(self.customer, listed)
        self.assertNotIn(self.company.partner_id, listed)
        self.assertTrue(self.company.partner_id.adv_is_own_company)
        self.assertFalse(self.customer.adv_is_own_company)
        exposure = self.env["ir.actions.act_window"]._for_xml_id("adv_credit_mgmt.action_adv_credit_exposure")
        self.assertIn(("partner_id.adv_is_own_company", "=", False), safe_eval(exposure["domain"]))

    def test_orders_on_credit_hold_show_no_sample_rows(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "adv_credit_mgmt.action_adv_credit_hold_orders"
        )
        self.assertIn("No order on credit hold", action["help"])
        list_view = next(view_id for view_id, mode in action["views"] if mode == "list")
        arch = self.env["sale.order"].with_user(self.controller).get_view(list_view, "list")["arch"]
        self.assertNotIn('sample="1"', arch)
        self.assertIn("adv_credit_hold_reason", arch)

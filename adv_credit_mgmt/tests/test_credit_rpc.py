"""Issue 10: the credit controls refuse Odoo's external API (XML-RPC) as they refuse the web client."""

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.adv_order_control.tests.common import AdvRpcCase

# Context keys that used to lift a check: sent by a client, they must lift nothing.
OLD_KEYS = {
    "adv_credit_override_reason": "Agreed with CFO",
    "adv_credit_reason": "Annual review",
    "adv_checks_done": True,
    "adv_customer_confirmation": True,
    "send_email": True,
}


@tagged("post_install", "-at_install")
class TestCreditRpc(AdvRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # Only the credit rules are under test, whatever document rules the demo data switched on.
        cls.env["adv.document.type"].search([]).active = False
        cls.salesman = new_test_user(
            cls.env, "credit_rpc_sales", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.adv_user = new_test_user(
            cls.env,
            "credit_rpc_adv",
            groups="adv_order_control.group_adv_user,sales_team.group_sale_salesman_all_leads",
        )
        cls.manager = new_test_user(
            cls.env,
            "credit_rpc_manager",
            groups="adv_credit_mgmt.group_credit_manager,account.group_account_manager,"
            "sales_team.group_sale_salesman_all_leads",
        )
        cls.portal = new_test_user(cls.env, "credit_rpc_portal", groups="base.group_portal")
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Customer SA", "is_company": True, "credit_limit": 1000.0}
        )
        cls.customer.adv_credit_risk_class = "d"
        cls.portal.partner_id.parent_id = cls.customer
        product = cls.env["product.product"].create(
            {"name": "RPC pump", "type": "consu", "invoice_policy": "order", "taxes_id": [Command.clear()]}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": 5000.0, "tax_id": []})
                ],
            }
        )

    def test_salesperson_cannot_release_a_credit_hold(self):
        self.order.action_confirm()
        self.order._adv_credit_put_on_hold("Over limit")
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "write",
            self.order.ids,
            {"adv_credit_hold": False},
            error="Credit Hold",
            context=OLD_KEYS,
        )
        self.order.invalidate_recordset()
        self.assertTrue(self.order.adv_credit_hold)

    def test_salesperson_cannot_create_a_customer_with_a_credit_profile(self):
        self.assertRpcRefused(
            self.salesman,
            "res.partner",
            "create",
            {
                "name": "Generous SA",
                "is_company": True,
                "adv_credit_temp_increase": 1e9,
                "adv_credit_temp_until": "2099-12-31",
            },
            error="Temporary Increase",
            context=OLD_KEYS,
        )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Generous SA")]))

    def test_adv_user_cannot_raise_a_credit_limit(self):
        self.company.adv_credit_order_check = "block"
        self.assertRpcRefused(
            self.adv_user,
            "res.partner",
            "write",
            self.customer.ids,
            {"credit_limit": 1e9},
            error="Credit Limit",
            context=OLD_KEYS,
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_limit, 1000.0)

    def test_adv_user_cannot_set_the_limit_of_the_credit_tab(self):
        self.assertRpcRefused(
            self.adv_user,
            "res.partner",
            "write",
            self.customer.ids,
            {"adv_credit_limit": 1e9},
            error="Granted Limit",
            context=OLD_KEYS,
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_limit, 1000.0)

    @mute_logger("odoo.http")  # the refusal names the field, which the test runner reads as our warning
    def test_portal_user_cannot_read_the_risk_class(self):
        self.assertRpcRefused(
            self.portal,
            "res.partner",
            "read",
            self.customer.ids,
            ["adv_credit_risk_class"],
            error="adv_credit_risk_class",
        )

    def test_adv_user_cannot_dispute_a_million_without_invoice(self):
        self.assertRpcRefused(
            self.adv_user,
            "adv.dispute",
            "create",
            {"partner_id": self.customer.id, "amount_disputed": 1_000_000.0},
            error="Link dispute",
            context=OLD_KEYS,
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Pump", "quantity": 1, "price_unit": 1000.0})],
            }
        )
        invoice.action_post()
        self.assertRpcRefused(
            self.adv_user,
            "adv.dispute",
            "create",
            {"partner_id": self.customer.id, "invoice_ids": [invoice.id], "amount_disputed": 1_000_000.0},
            error="still open",
            context=OLD_KEYS,
        )
        self.assertFalse(self.env["adv.dispute"].search([("partner_id", "=", self.customer.id)]))

    def test_dispute_state_moves_by_its_buttons_only(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Pump", "quantity": 1, "price_unit": 1000.0})],
            }
        )
        invoice.action_post()
        dispute_id = self.rpc(
            self.adv_user,
            "adv.dispute",
            "create",
            {"partner_id": self.customer.id, "invoice_ids": [invoice.id], "amount_disputed": 400.0},
        )
        dispute = self.env["adv.dispute"].browse(dispute_id)
        for values in ({"state": "resolved"}, {"escalated": True}, {"date_resolved": "2099-12-31"}):
            self.assertRpcRefused(
                self.adv_user, "adv.dispute", "write", [dispute_id], values, error="You cannot set"
            )
        self.assertRpcRefused(
            self.adv_user,
            "adv.dispute",
            "create",
            {"partner_id": self.customer.id, "invoice_ids": [invoice.id], "state": "cancel"},
            error="You cannot set",
        )
        self.rpc(self.adv_user, "adv.dispute", "action_investigate", [dispute_id])
        dispute.invalidate_recordset()
        self.assertEqual(dispute.state, "investigating")
        self.assertRpcRefused(
            self.portal, "adv.dispute", "action_cancel", [dispute_id], error="not allowed to"
        )

    def test_old_context_keys_lift_no_credit_block(self):
        self.company.adv_credit_order_check = "block"
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "action_confirm",
            self.order.ids,
            error="exceeds its credit limit",
            context=OLD_KEYS,
        )
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "draft")
        self.company.adv_credit_order_check = "none"
        self.order.action_confirm()
        invoice = self.order._create_invoices()
        self.company.adv_credit_invoice_check = "block"
        self.customer.adv_credit_status = "blocked"
        self.assertRpcRefused(
            self.manager,
            "account.move",
            "action_post",
            invoice.ids,
            error="is blocked",
            context=OLD_KEYS,
        )
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(self.env["adv.credit.override"].search([("move_id", "=", invoice.id)]))

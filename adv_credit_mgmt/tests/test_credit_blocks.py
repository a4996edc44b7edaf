from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.adv_order_control.tools import CUSTOMER_CONFIRMATION, flow

from .common import AdvCreditCommon

HOLD_SUMMARY = "Credit hold: review the order"


def codes(issues):
    return {issue.code for issue in issues if issue.code.startswith("credit_")}


@tagged("post_install", "-at_install")
class TestCreditBlocks(AdvCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000.0

    def test_default_configuration_changes_nothing(self):
        self.customer.adv_credit_status = "blocked"
        order = self._order(self.customer, 5000.0)
        self.assertFalse(codes(order._adv_confirmation_issues()))
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        blockers = order._adv_invoicing_blockers().get(order.id, [])
        self.assertFalse([b for b in blockers if b.code.startswith("credit_")])

    def test_over_limit_is_a_block_overridable_by_credit_manager(self):
        self.company.adv_credit_order_check = "block"
        self._order(self.customer, 600.0, confirm=True)
        order = self._order(self.contact, 500.0)
        issues = [i for i in order._adv_confirmation_issues() if i.code == "credit_over_limit"]
        self.assertEqual(len(issues), 1)
        self.assertEqual(issues[0].severity, "block")
        self.assertEqual(issues[0].override_group, "adv_credit_mgmt.group_credit_manager")
        self.assertAlmostEqual(issues[0].amount_over, 100.0)
        self.assertFalse(issues[0].provisional)
        # Within the limit: no issue.
        self.assertFalse(codes(self._order(self.customer, 300.0)._adv_confirmation_issues()))
        order._adv_log_override(issues[0], "Bank guarantee received")
        log = self.env["adv.credit.override"].search([("order_id", "=", order.id)])
        self.assertEqual(log.reason, "Bank guarantee received")
        self.assertEqual(log.kind, "order")
        self.assertAlmostEqual(log.amount_over, 100.0)

    def test_warning_severity(self):
        self.company.adv_credit_order_check = "warning"
        order = self._order(self.customer, 1500.0)
        issue = [i for i in order._adv_confirmation_issues() if i.code == "credit_over_limit"][0]
        self.assertEqual(issue.severity, "warning")
        self.assertFalse(issue.override_group)

    def test_orders_confirmed_together_add_up(self):
        self.company.adv_credit_order_check = "block"
        orders = self._order(self.customer, 600.0) + self._order(self.customer, 600.0)
        issues = [i for i in orders._adv_confirmation_issues() if i.code == "credit_over_limit"]
        self.assertEqual([i.order_id for i in issues], [orders[1].id])

    def test_order_paid_online_is_exempt(self):
        self.company.adv_credit_order_check = "block"
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {"name": "Test provider", "state": "test", "payment_method_ids": [Command.set(method.ids)]}
        )
        order = self._order(self.customer, 1500.0)

        def pay(amount, reference):
            return self.env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "reference": reference,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.customer.id,
                    "sale_order_ids": [Command.set(order.ids)],
                    "state": "done",
                }
            )

        # Half paid online: still over the limit.
        pay(750.0, "ADV-PREPAID-1")
        self.assertIn("credit_over_limit", codes(order._adv_confirmation_issues()))
        # Fully paid online: no credit risk left, no issue.
        pay(750.0, "ADV-PREPAID-2")
        order.invalidate_recordset(["transaction_ids", "amount_paid"])
        self.assertFalse(codes(order._adv_confirmation_issues()))

    def test_blocked_account(self):
        self.company.adv_credit_order_check = "block"
        self.customer.write({"adv_credit_status": "legal", "adv_credit_block_reason": "Receivership"})
        issues = self._order(self.customer, 10.0)._adv_confirmation_issues()
        self.assertIn("credit_account_blocked", codes(issues))
        self.assertIn("Receivership", [i for i in issues if i.code == "credit_account_blocked"][0].message)

    def test_account_opening_needs_review(self):
        self.company.adv_credit_opening_check = "block"
        newcomer = self.env["res.partner"].create({"name": "New Co", "is_company": True})
        order = self._order(newcomer, 100.0)
        self.assertIn("credit_opening_review", codes(order._adv_confirmation_issues()))
        with self.assertRaises(AccessError):
            newcomer.with_user(self.salesman).action_adv_mark_reviewed()
        with self.assertRaises(AccessError):
            newcomer.with_user(self.controller).action_adv_mark_reviewed()
        self.assertIn("credit_opening_review", codes(order._adv_confirmation_issues()))
        newcomer.with_user(self.manager).action_adv_mark_reviewed()
        self.assertFalse(codes(order._adv_confirmation_issues()))
        # A customer with a confirmed order is no newcomer.
        self.company.adv_credit_opening_check = "none"
        self._order(self.other_customer, 10.0, confirm=True)
        self.company.adv_credit_opening_check = "block"
        self.assertFalse(codes(self._order(self.other_customer, 10.0)._adv_confirmation_issues()))

    def test_overdue_amount_and_age(self):
        self.company.write(
            {
                "adv_credit_overdue_check": "block",
                "adv_credit_overdue_amount": 100.0,
                "adv_credit_overdue_days": 30,
            }
        )
        self.customer.credit_limit = 0.0
        self._invoice(self.customer, 500.0, due=self.today - timedelta(days=10))
        order = self._order(self.customer, 10.0)
        self.assertFalse(
            codes(order._adv_confirmation_issues()), "10 days late is within the 30 days tolerated"
        )
        self._invoice(self.customer, 500.0, due=self.today - timedelta(days=45))
        self.assertEqual(codes(order._adv_confirmation_issues()), {"credit_overdue"})

    def test_portal_confirmation_goes_on_credit_hold(self):
        self.company.adv_credit_order_check = "block"
        order = self._order(self.customer, 5000.0)
        issues = order._adv_confirmation_issues()
        with flow(CUSTOMER_CONFIRMATION):
            remaining = order._adv_handle_unattended_issues(issues)
        self.assertFalse([i for i in remaining if i.code.startswith("credit_")])
        self.assertTrue(order.adv_credit_hold)
        self.assertIn("credit limit", order.adv_credit_hold_reason)
        activity = order.activity_ids.filtered(lambda a: a.summary == HOLD_SUMMARY)
        self.assertEqual(activity.user_id, self.controller)
        blockers = order._adv_invoicing_blockers()[order.id]
        self.assertIn("credit_hold", {b.code for b in blockers})

    def test_credit_hold_in_the_controllers_language(self):
        """The customer confirms in English: the French credit controller reads the hold in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.controller.lang = "fr_FR"
        self.company.adv_credit_order_check = "block"
        order = self._order(self.customer, 5000.0).with_context(lang="en_US")
        issues = order._adv_confirmation_issues()
        with flow(CUSTOMER_CONFIRMATION):
            order._adv_handle_unattended_issues(issues)
        self.assertIn("dépasse sa limite de crédit", order.adv_credit_hold_reason)
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.controller)
        self.assertEqual(activity.summary, "Blocage crédit : examiner la commande")

    def test_backend_unattended_credit_issue_is_not_swallowed(self):
        self.company.adv_credit_order_check = "block"
        order = self._order(self.customer, 5000.0)
        issues = [i for i in order._adv_confirmation_issues() if i.code.startswith("credit_")]
        try:
            remaining = order._adv_handle_unattended_issues(issues)
        except UserError:
            remaining = issues  # the base refuses the confirmation: also fine
        self.assertTrue(remaining)
        self.assertFalse(order.adv_credit_hold)

    def test_release_hold_needs_credit_manager_and_reason(self):
        order = self._order(self.customer, 5000.0, confirm=True)
        order._adv_credit_put_on_hold("Over limit")
        wizard = (
            self.env["adv.credit.release.wizard"]
            .with_user(self.controller)
            .create({"order_ids": order.ids, "reason": "Promise of payment"})
        )
        with self.assertRaises(AccessError):
            wizard.action_release()
        action = order.with_user(self.manager).action_adv_release_credit_hold()
        form = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        form.reason = "Payment guarantee from the parent company"
        form.save().action_release()
        self.assertFalse(order.adv_credit_hold)
        log = self.env["adv.credit.override"].search(
            [("order_id", "=", order.id), ("kind", "=", "hold_release")]
        )
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(log.reason, "Payment guarantee from the parent company")
        self.assertFalse(order.activity_ids.filtered(lambda a: a.summary == HOLD_SUMMARY))

    def test_invoice_posting_for_blocked_account(self):
        self.company.adv_credit_invoice_check = "block"
        self.customer.write({"adv_credit_status": "blocked", "adv_credit_block_reason": "Unpaid"})
        invoice = self._invoice(self.customer, 100.0, post=False)
        self.assertIn("blocked", invoice.adv_credit_warning)
        with self.assertRaises(UserError):
            invoice.action_post()
        # Credit notes are never blocked.
        refund = self._invoice(self.customer, 50.0, move_type="out_refund")
        self.assertEqual(refund.state, "posted")
        # Even a credit manager needs the override wizard, with a reason; it is logged.
        with self.assertRaises(UserError):
            invoice.with_user(self.manager).action_post()
        action = invoice.with_user(self.manager).action_adv_credit_post_override()
        form = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        form.reason = "Agreed with CFO"
        form.save().action_post()
        self.assertEqual(invoice.state, "posted")
        log = self.env["adv.credit.override"].search([("move_id", "=", invoice.id)])
        self.assertEqual(log.reason, "Agreed with CFO")

    def test_invoice_posting_warning_only(self):
        self.company.adv_credit_invoice_check = "warning"
        self.customer.adv_credit_status = "blocked"
        invoice = self._invoice(self.customer, 100.0)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(any("blocked" in str(body) for body in invoice.message_ids.mapped("body")))

    def test_increasing_confirmed_order_rechecks(self):
        self.company.adv_credit_order_check = "block"
        order = self._order(self.customer, 800.0, confirm=True)
        with self.assertRaises(UserError):
            order.order_line.with_user(self.salesman).write({"product_uom_qty": 2})
        order.order_line.write({"product_uom_qty": 1, "price_unit": 900.0})  # still within the limit
        self.assertEqual(order.amount_total, 900.0)
        order.order_line.with_user(self.manager).write({"price_unit": 1500.0})
        self.assertEqual(order.amount_total, 1500.0)

    def test_invoicing_blocker_for_blocked_account(self):
        self.company.adv_credit_invoice_check = "block"
        order = self._order(self.customer, 100.0, confirm=True)
        self.customer.adv_credit_status = "blocked"
        blockers = order._adv_invoicing_blockers()[order.id]
        self.assertEqual([b for b in blockers if b.code == "credit_account_blocked"][0].severity, "block")

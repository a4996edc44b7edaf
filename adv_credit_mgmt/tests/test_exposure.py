from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestExposure(AdvCreditCommon):
    def test_order_of_child_contact_counts_on_commercial_partner(self):
        order = self._order(self.contact, 1200.0, confirm=True)
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_to_invoice, 1200.0)
        self.assertEqual(partner.adv_exposure_total, 1200.0)
        # The child contact shows the same figures as its company.
        self.assertEqual(self._exposure(self.contact).adv_exposure_total, 1200.0)
        order._action_cancel()
        self.assertEqual(self._exposure().adv_exposure_total, 0.0)

    def test_order_line_decreased_to_zero_leaves_nothing_to_invoice(self):
        # Odoo lets a salesperson set a confirmed line's quantity to 0 (sale_stock then cancels the delivery).
        order = self._order(self.customer, 500.0, confirm=True)
        self._order(self.customer, 200.0, confirm=True)
        with Form(order.with_user(self.salesman)) as form, form.order_line.edit(0) as line:
            line.product_uom_qty = 0.0
        self.assertEqual(self._exposure().adv_exposure_to_invoice, 200.0)

    def test_order_invoiced_moves_from_orders_to_receivables(self):
        order = self._order(self.customer, 1000.0, confirm=True)
        invoice = order._create_invoices()
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_to_invoice, 0.0)
        self.assertEqual(partner.adv_exposure_draft, 1000.0)
        invoice.invoice_date_due = self.today + timedelta(days=30)
        invoice.action_post()
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_draft, 0.0)
        self.assertEqual(partner.adv_exposure_not_due, 1000.0)
        self.assertEqual(partner.adv_exposure_total, 1000.0)

    def test_buckets_after_partial_payment_and_full_payment(self):
        invoice = self._invoice(self.customer, 900.0, due=self.today - timedelta(days=10))
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_overdue, 900.0)
        self.assertEqual(partner.adv_credit_oldest_due_date, self.today - timedelta(days=10))
        self._pay(invoice, 400.0)
        self.assertEqual(self._exposure().adv_exposure_overdue, 500.0)
        self._pay(invoice)
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_overdue, 0.0)
        self.assertEqual(partner.adv_exposure_total, 0.0)

    def test_grace_days_keep_recent_items_not_due(self):
        self._invoice(self.customer, 300.0, due=self.today - timedelta(days=3))
        self.assertEqual(self._exposure().adv_exposure_overdue, 300.0)
        self.company.adv_credit_grace_days = 5
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_overdue, 0.0)
        self.assertEqual(partner.adv_exposure_not_due, 300.0)

    def test_credit_note_reconciled_and_cancellation(self):
        invoice = self._invoice(self.customer, 1000.0, due=self.today + timedelta(days=30))
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Damaged"})
        )
        reversal.refund_moves()
        refund = invoice.reversal_move_ids
        refund.invoice_line_ids.price_unit = 250.0
        refund.action_post()  # reconciled with the invoice it reverses
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(self._exposure().adv_exposure_total, 750.0)
        draft = self._invoice(self.customer, 200.0, post=False)
        self.assertEqual(self._exposure().adv_exposure_draft, 200.0)
        draft.button_cancel()
        self.assertEqual(self._exposure().adv_exposure_draft, 0.0)

    def test_second_currency_in_company_currency(self):
        invoice = self._invoice(
            self.customer, 1000.0, due=self.today + timedelta(days=5), currency=self.foreign
        )
        expected = abs(invoice.amount_total_signed)
        self.assertNotEqual(expected, 1000.0)
        self.assertAlmostEqual(self._exposure().adv_exposure_not_due, expected, places=2)
        order = self._order(self.customer, 600.0, currency=self.foreign, confirm=True)
        self.assertAlmostEqual(
            self._exposure().adv_exposure_to_invoice, order.amount_total / order.currency_rate, places=2
        )

    def test_over_limit_search_and_sort(self):
        self.customer.credit_limit = 1000.0
        self.other_customer.credit_limit = 5000.0
        self._order(self.customer, 1500.0, confirm=True)
        self._order(self.other_customer, 200.0, confirm=True)
        Partner = self.env["res.partner"]
        over = Partner.search([("adv_credit_over_limit", "=", True)])
        self.assertIn(self.customer, over)
        self.assertNotIn(self.other_customer, over)
        self.assertIn(self.other_customer, Partner.search([("adv_credit_over_limit", "=", False)]))
        self.assertIn(self.customer, Partner.search([("adv_credit_remaining", "<", 0)]))
        self.assertIn(self.other_customer, Partner.search([("adv_exposure_total", ">=", 200)]))
        ranked = Partner.search(
            [("id", "in", (self.customer + self.other_customer).ids)], order="adv_exposure_total desc"
        )
        self.assertEqual(ranked.ids, [self.customer.id, self.other_customer.id])
        ranked = Partner.search(
            [("id", "in", (self.customer + self.other_customer).ids)], order="adv_credit_remaining"
        )
        self.assertEqual(ranked[0], self.customer)
        # A running temporary increase lifts the limit until its end date.
        self.customer.write({"adv_credit_temp_increase": 1000.0, "adv_credit_temp_until": self.today})
        self.assertNotIn(self.customer, Partner.search([("adv_credit_over_limit", "=", True)]))
        self.assertEqual(self._exposure().adv_credit_limit_effective, 2000.0)

    def test_insured_cap_and_disputed_exclusion(self):
        self.customer.write({"credit_limit": 5000.0, "adv_credit_insured_limit": 1000.0})
        invoice = self._invoice(self.customer, 1500.0, due=self.today + timedelta(days=30))
        self.assertFalse(self._exposure().adv_credit_over_limit)
        self.company.adv_credit_cap_insured = True
        self.assertEqual(self._exposure().adv_credit_limit_effective, 1000.0)
        self.assertTrue(self._exposure().adv_credit_over_limit)
        self.env["adv.dispute"].create(
            {"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 600.0}
        )
        self.assertEqual(self._exposure().adv_exposure_disputed, 600.0)
        self.assertTrue(self._exposure().adv_credit_over_limit)
        self.company.adv_credit_exclude_disputed = True
        self.assertFalse(self._exposure().adv_credit_over_limit)

    def test_payment_behaviour_average_days_late(self):
        invoice = self._invoice(self.customer, 100.0, due=self.today - timedelta(days=12))
        self._pay(invoice)
        self.assertEqual(self._exposure().adv_avg_days_late, 12.0)

    def test_salesman_reads_status_but_cannot_edit_limits(self):
        self.customer.adv_credit_status = "review"
        partner = self.customer.with_user(self.salesman)
        self.assertEqual(partner.adv_credit_status, "review")
        with self.assertRaises(AccessError):
            partner.write({"adv_credit_status": "open"})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).write({"adv_credit_temp_increase": 100.0})

    def test_limit_and_status_changes_are_logged(self):
        partner = self.customer.with_user(self.manager).with_context(adv_credit_reason="Annual review")
        partner.write({"credit_limit": 3000.0, "adv_credit_status": "blocked"})
        logs = self.env["adv.credit.override"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(set(logs.mapped("kind")), {"limit", "status"})
        self.assertEqual(set(logs.mapped("reason")), {"Annual review"})
        self.assertEqual(logs.filtered(lambda line: line.kind == "status").new_value, "Blocked")
        self.assertTrue(all(log.user_id == self.manager for log in logs))

    def test_partner_form_shows_credit_page(self):
        form = Form(self.customer.with_user(self.manager))
        self.assertEqual(form.adv_exposure_total, 0.0)

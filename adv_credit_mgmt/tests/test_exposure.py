from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from ..models import adv_credit_exposure
from .common import AdvCreditCommon

FIGURES = SQL(", ".join(["partner_id", "company_id", *adv_credit_exposure.FIGURES]))


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

    def _table_rows(self):
        self.env.flush_all()
        return self.env.execute_query(SQL("SELECT %s FROM adv_credit_exposure ORDER BY 1, 2", FIGURES))

    def _from_scratch_rows(self):
        return self.env.execute_query(
            SQL(
                "SELECT %s FROM (%s) s ORDER BY 1, 2",
                FIGURES,
                self.env["adv.credit.exposure"]._from_scratch_sql(),
            )
        )

    def test_customer_created_and_invoiced_in_one_transaction(self):
        # An import or an integration's batch: company, contact and invoice in one transaction; the ORM
        # writes the contact's commercial partner after inserting it. No refresh is called.
        company = self.env["res.partner"].create({"name": "Batch Import SA", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Ana Import", "parent_id": company.id})
        draft = self._invoice(contact, 300.0, post=False)
        self._invoice(contact, 700.0, due=self.today + timedelta(days=20))
        self.env.flush_all()
        rows = self.env["adv.credit.exposure"].search([("partner_id", "in", (company | contact).ids)])
        self.assertRecordValues(
            rows,
            [
                {
                    "partner_id": company.id,
                    "company_id": self.company.id,
                    "amount_not_due": 700.0,
                    "amount_overdue": 0.0,
                    "amount_draft": 300.0,
                    "amount_total": 1000.0,
                    "amount_decision": 1000.0,
                }
            ],
        )
        self.assertEqual(self._exposure(contact).adv_exposure_total, 1000.0)
        draft.button_cancel()
        self.assertEqual(self._exposure(company).adv_exposure_total, 700.0)

        # The batch links a contact to its company only after invoicing it: the contact's invoice and order
        # move to the company (the contact was its own customer until then).
        late = self.env["res.partner"].create({"name": "Late Link"})
        self._invoice(late, 50.0, due=self.today + timedelta(days=20))
        self._order(late, 25.0, confirm=True)
        late.parent_id = company
        self.env.flush_all()
        self.env.invalidate_all()  # the rows read above are in the cache; triggers wrote the table
        rows = self.env["adv.credit.exposure"].search([("partner_id", "in", (company | contact | late).ids)])
        self.assertRecordValues(
            rows, [{"partner_id": company.id, "amount_not_due": 750.0, "amount_to_invoice": 25.0}]
        )
        self.assertEqual(self._table_rows(), self._from_scratch_rows())

    def test_contact_moved_to_another_company_takes_its_order_along(self):
        # The contact's commercial partner changes: both customers are refreshed, without a manual refresh.
        self._order(self.contact, 400.0, confirm=True)
        self.assertEqual(self._exposure().adv_exposure_to_invoice, 400.0)
        self.contact.parent_id = self.other_customer
        self.assertEqual(self._exposure().adv_exposure_to_invoice, 0.0)
        self.assertEqual(self._exposure(self.other_customer).adv_exposure_to_invoice, 400.0)
        self.assertEqual(self._table_rows(), self._from_scratch_rows())

    def test_batched_full_refresh_matches_one_statement_and_drops_stale_rows(self):
        Exposure = self.env["adv.credit.exposure"]
        self._order(self.customer, 500.0, confirm=True)
        self._invoice(self.customer, 200.0, post=False)
        self._invoice(self.other_customer, 300.0, due=self.today - timedelta(days=5))
        idle = self.env["res.partner"].create({"name": "Idle SA", "is_company": True})
        self.env.flush_all()
        # Rows no document backs (a customer without exposure, a contact, which is never a key) and
        # figures that drifted (e.g. the day changed): the full refresh puts everything right.
        self.env.cr.execute(
            """
            INSERT INTO adv_credit_exposure (partner_id, company_id, amount_total, amount_decision)
            VALUES (%s, %s, 99, 99), (%s, %s, 98, 98);
            UPDATE adv_credit_exposure SET amount_total = -1, amount_overdue = 5 WHERE partner_id = %s;
            """,
            [idle.id, self.company.id, self.contact.id, self.company.id, self.customer.id],
        )
        self.assertNotEqual(self._table_rows(), self._from_scratch_rows())
        with patch.object(adv_credit_exposure, "REFRESH_BATCH_SIZE", 7):
            self.assertGreater(len(Exposure._refresh_batches()), 1, "several batches")
            Exposure._refresh()
        rows = self._table_rows()
        self.assertEqual(rows, self._from_scratch_rows())
        self.assertFalse({idle.id, self.contact.id} & {row[0] for row in rows})
        self.assertIn(self.customer.id, {row[0] for row in rows})
        # The per-customer statement never reads "everybody" from a missing list.
        with (
            self.assertRaises(psycopg2.errors.RaiseException),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute("SELECT adv_credit_refresh_exposure(NULL)")

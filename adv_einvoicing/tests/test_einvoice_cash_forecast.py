from datetime import date

from odoo import fields
from odoo.tests import tagged

from ..tools import parse_cdar
from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceCashForecast(AdvEinvoiceCommon):
    """Approuvée / Paiement transmis: the approved part of the invoice is forecast as committed by the
    customer, on the payment date the message gives."""

    def _forecast(self, invoice):
        # A SQL view: read it as the next request would, from the database, not from this one's cache.
        self.env.flush_all()
        self.env["adv.cash.forecast"].invalidate_model()
        rows = self.env["adv.cash.forecast"].search([("move_id", "=", invoice.id)])
        return {row.certainty: (row.amount, row.date_expected) for row in rows}

    def test_expected_date_read_from_the_cdar(self):
        (payload,) = parse_cdar(self._sample("cdar_211_payment_sent.xml"))
        self.assertEqual((payload["code"], payload["amount"]), ("211", 600.0))
        self.assertEqual(payload["expected_date"], date(2027, 2, 15))
        (payload,) = parse_cdar(self._sample("cdar_205_approved.xml"))
        self.assertIsNone(payload["expected_date"], "optional: absent from the message, absent here")

    def test_payment_sent_commits_its_amount_on_the_announced_date(self):
        today = fields.Date.context_today(self.env["adv.cash.forecast"])
        # Before: all of it in its bucket, expected by the customer's usual delay.
        before = self._forecast(self.inv3)
        [(certainty, (amount, expected))] = before.items()
        self.assertEqual(amount, 1000.0)
        self.assertNotEqual(certainty, "committed")
        (log,) = self._import("cdar_211_payment_sent.xml")
        self.assertEqual(log.state, "done")
        self.assertEqual(log.status_id.expected_date, date(2027, 2, 15))
        self.assertEqual(
            self._forecast(self.inv3),
            {"committed": (600.0, max(date(2027, 2, 15), today)), certainty: (400.0, expected)},
        )
        # The company chose not to: back to the customer's usual certainty.
        self.company.adv_einvoice_forecast_approved = False
        self.assertEqual(self._forecast(self.inv3), before)

    def test_approved_without_date_is_committed_from_its_due_date(self):
        today = fields.Date.context_today(self.env["adv.cash.forecast"])
        before = self._forecast(self.inv1)
        self._import("cdar_200_deposited.xml", "cdar_205_approved.xml")
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["205"])
        # All that is open, expected on the due date (today at the earliest), not after the usual delay.
        self.assertEqual(
            self._forecast(self.inv1), {"committed": (1000.0, max(self.inv1.invoice_date_due, today))}
        )
        # A later status that commits nothing (collected in part) ends the commitment.
        self._import("cdar_212_collected_partial.xml")
        self.assertEqual(self._forecast(self.inv1), before)

    def test_expected_date_given_through_the_entry_point(self):
        log = self.inv2._adv_einvoice_receive_status(
            {"message_id": "API-206-1", "code": "206", "amount": 250.0, "expected_date": "2027-01-20"}
        )
        self.assertEqual(log.status_id.expected_date, date(2027, 1, 20))
        self.assertEqual(self._forecast(self.inv2)["committed"][0], 250.0)
        log = self.inv2._adv_einvoice_receive_status(
            {"message_id": "API-206-2", "code": "206", "expected_date": "someday"}
        )
        self.assertEqual(log.state, "error")
        self.assertIn("someday", log.error)

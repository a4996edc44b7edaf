from datetime import datetime, timedelta

import pytz

from odoo.tests import tagged

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestReceivableBuckets(AdvCreditCommon):
    """The two rules of the one definition of open receivables (tools/receivables.py), as Customer Credit
    and the Credit Exposure show them."""

    def _exposure_row(self, partner=None):
        self.env["adv.credit.exposure"]._flush_sources()
        return self.env["adv.credit.exposure"].search(
            [("partner_id", "=", (partner or self.customer).id), ("company_id", "=", self.company.id)]
        )

    def test_due_today_is_overdue_from_tomorrow(self):
        self._invoice(self.customer, 400.0, due=self.today)
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_not_due, 400.0)
        self.assertEqual(partner.adv_exposure_overdue, 0.0)
        self._invoice(self.customer, 100.0, due=self.today - timedelta(days=1))
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_overdue, 100.0)
        self.assertEqual(partner.adv_credit_oldest_due_date, self.today - timedelta(days=1))

    def test_today_is_the_companys_day_not_the_servers(self):
        # A time zone whose date differs from UTC's right now: 14 h ahead after 10:00 UTC, 11 h behind before.
        tz = "Pacific/Kiritimati" if datetime.now(pytz.utc).hour >= 10 else "Pacific/Pago_Pago"
        self.company.partner_id.tz = tz
        self.env.flush_all()  # as when the company was set up: the triggers read the database
        local_today = datetime.now(pytz.timezone(tz)).date()
        self.assertNotEqual(local_today, datetime.now(pytz.utc).date())
        self._invoice(self.customer, 100.0, due=local_today - timedelta(days=1))
        self._invoice(self.customer, 400.0, due=local_today)
        row = self._exposure_row()
        self.assertEqual((row.amount_overdue, row.amount_not_due), (100.0, 400.0))
        self.assertEqual(row.oldest_due_date, local_today - timedelta(days=1))
        forecast = self.env["adv.cash.forecast"].search(
            [("partner_id", "=", self.customer.id), ("certainty", "=", "overdue")]
        )
        self.assertEqual((forecast.days_overdue, forecast.date_expected), (1, local_today))

    def test_open_credit_note_is_never_overdue_and_absorbs_overdue_first(self):
        # An unmatched credit note, due long ago: alone, the customer is in credit, nothing is overdue.
        self._invoice(self.customer, 300.0, due=self.today - timedelta(days=40), move_type="out_refund")
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_overdue, 0.0)
        self.assertEqual(partner.adv_exposure_not_due, -300.0)
        self.assertEqual(partner.adv_exposure_total, -300.0)
        self.assertFalse(partner.adv_credit_oldest_due_date)
        # An overdue invoice: the credit note pays it off first.
        self._invoice(self.customer, 1000.0, due=self.today - timedelta(days=20))
        partner = self._exposure()
        self.assertEqual(partner.adv_exposure_overdue, 700.0)
        self.assertEqual(partner.adv_exposure_not_due, 0.0)
        # A not yet due invoice stays whole: the credit was used on the overdue one.
        self._invoice(self.customer, 2000.0, due=self.today + timedelta(days=10))
        row = self._exposure_row()
        self.assertEqual((row.amount_overdue, row.amount_not_due, row.amount_total), (700.0, 2000.0, 2700.0))

    def test_credit_note_larger_than_overdue_reduces_not_due(self):
        self._invoice(self.customer, 200.0, due=self.today - timedelta(days=5))
        self._invoice(self.customer, 1000.0, due=self.today + timedelta(days=30))
        self._invoice(self.customer, 500.0, due=self.today + timedelta(days=30), move_type="out_refund")
        partner = self._exposure()
        # Never a negative overdue, never a positive overdue made by the credit note.
        self.assertEqual(partner.adv_exposure_overdue, 0.0)
        self.assertEqual(partner.adv_exposure_not_due, 700.0)
        self.assertEqual(partner.adv_exposure_total, 700.0)
        self.assertFalse(partner.adv_credit_oldest_due_date)

    def test_credit_of_another_customer_does_not_net(self):
        self._invoice(self.customer, 800.0, due=self.today - timedelta(days=5))
        self._invoice(self.other_customer, 500.0, due=self.today - timedelta(days=5), move_type="out_refund")
        self.assertEqual(self._exposure().adv_exposure_overdue, 800.0)
        other = self._exposure(self.other_customer)
        self.assertEqual((other.adv_exposure_overdue, other.adv_exposure_not_due), (0.0, -500.0))


@tagged("post_install", "-at_install")
class TestCashForecast(AdvCreditCommon):
    Forecast = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Forecast = cls.env["adv.cash.forecast"]

    def _rows(self, partner=None):
        self.env.flush_all()
        return self.Forecast.search([("partner_id", "=", (partner or self.customer).id)])

    def _by(self, rows, fname):
        totals = {}
        for row in rows:
            totals[row[fname]] = totals.get(row[fname], 0.0) + row.amount
        return {key: round(value, 2) for key, value in totals.items()}

    def test_thirteen_weeks_even_when_empty(self):
        self.env.flush_all()
        domain = [("company_id", "=", self.company.id)]
        groups = self.Forecast._read_group(domain, ["week_start:day"], ["__count"])
        monday = self.today - timedelta(days=self.today.weekday())
        self.assertEqual([week for week, _count in groups], [monday + timedelta(weeks=n) for n in range(13)])
        # The graph's columns (weeks of the user's language, whatever day they start on)
        self.assertEqual(len(self.Forecast._read_group(domain, ["week_start:week"], ["__count"])), 13)
        # The rows that keep empty weeks on the graph weigh nothing.
        empty = self.Forecast.search([("company_id", "=", self.company.id), ("move_id", "=", False)])
        self.assertEqual(len(empty), 13)
        self.assertFalse(any(empty.mapped("amount")))

    def test_expected_date_shifted_by_customer_delay(self):
        # Paid 14 days late; another invoice 6 days overdue and still open: 10 days on average.
        late = self._invoice(self.customer, 100.0, due=self.today - timedelta(days=14))
        self._pay(late)
        overdue = self._invoice(self.customer, 250.0, due=self.today - timedelta(days=6))
        coming = self._invoice(self.customer, 700.0, due=self.today + timedelta(days=7))
        self._invoice(self.customer, 900.0, due=self.today + timedelta(days=200))  # beyond 13 weeks
        self.assertAlmostEqual(self._exposure().adv_avg_days_late, 10.0)
        rows = self._rows()
        row = rows.filtered(lambda r: r.move_id == coming)
        self.assertEqual((row.certainty, row.delay_days), ("not_due", 10))
        self.assertEqual(row.date_expected, self.today + timedelta(days=17))
        # The overdue invoice is expected this week, today, with its age.
        row = rows.filtered(lambda r: r.move_id == overdue)
        self.assertEqual((row.certainty, row.date_expected, row.days_overdue), ("overdue", self.today, 6))
        self.assertEqual(row.week_start, self.today - timedelta(days=self.today.weekday()))
        self.assertEqual(self._by(rows, "certainty"), {"not_due": 700.0, "overdue": 250.0})

    def test_delay_of_a_customer_who_stopped_paying(self):
        self._invoice(self.customer, 100.0, due=self.today - timedelta(days=30))
        coming = self._invoice(self.customer, 400.0, due=self.today + timedelta(days=5))
        row = self._rows().filtered(lambda r: r.move_id == coming)
        self.assertEqual(row.delay_days, 30)
        self.assertEqual(row.date_expected, self.today + timedelta(days=35))

    def test_open_credit_note_netted(self):
        self._invoice(self.customer, 1000.0, due=self.today - timedelta(days=3))
        refund = self._invoice(
            self.customer, 1200.0, due=self.today - timedelta(days=3), move_type="out_refund"
        )
        self._invoice(self.customer, 500.0, due=self.today + timedelta(days=10))
        rows = self._rows()
        # One negative row per bucket the credit note reduces, expected today.
        credit = rows.filtered(lambda r: r.move_id == refund)
        self.assertEqual(self._by(credit, "certainty"), {"overdue": -1000.0, "not_due": -200.0})
        self.assertEqual(set(credit.mapped("date_expected")), {self.today})
        self.assertEqual(self._by(rows, "certainty"), {"overdue": 0.0, "not_due": 300.0})
        partner = self._exposure()
        self.assertEqual((partner.adv_exposure_overdue, partner.adv_exposure_not_due), (0.0, 300.0))

    def test_only_disputed_part_is_disputed(self):
        invoice = self._invoice(self.customer, 6000.0, due=self.today + timedelta(days=10))
        overdue = self._invoice(self.customer, 1000.0, due=self.today - timedelta(days=2))
        self.env["adv.dispute"].with_user(self.adv_user).create(
            {"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 2000.0}
        )
        self.env["adv.dispute"].with_user(self.adv_user).create(
            {"partner_id": self.customer.id, "invoice_ids": overdue.ids, "amount_disputed": 1000.0}
        )
        rows = self._rows()
        self.assertEqual(
            self._by(rows.filtered(lambda r: r.move_id == invoice), "certainty"),
            {"not_due": 4000.0, "disputed": 2000.0},
        )
        # A dispute of the whole overdue invoice: nothing of it is expected as a sure collection.
        self.assertEqual(
            self._by(rows.filtered(lambda r: r.move_id == overdue), "certainty"), {"disputed": 1000.0}
        )
        # By due status, the forecast still gives the exposure's buckets.
        self.assertEqual(self._by(rows, "due_status"), {"not_due": 6000.0, "overdue": 1000.0})

    def test_graph_opens_on_expected_collections_by_certainty(self):
        action = self.env.ref("adv_credit_mgmt.action_adv_cash_forecast")
        self.assertTrue(action.view_mode.startswith("graph"))
        arch = self.Forecast.get_view(view_type="graph")["arch"]
        self.assertIn('name="certainty"', arch)
        self.assertIn('name="amount" type="measure"', arch)
        self.assertNotIn("amount_disputed", arch)

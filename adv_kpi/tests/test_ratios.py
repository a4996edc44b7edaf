import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import FEB, JAN, MAR, AdvKpiCommon

NOV, DEC = date(2024, 11, 1), date(2024, 12, 1)


@tagged("post_install", "-at_install")
@freeze_time("2024-12-01")
class TestMonthInProgress(AdvKpiCommon):
    """On 1 December the December row is as of 1 December: what falls due later this month is not
    overdue yet, and the sales of the month so far count over the days gone by."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(cls.customer_a, 1000.0, date(2024, 11, 10), due=date(2024, 11, 30))
        cls._invoice(cls.customer_a, 200.0, date(2024, 11, 5), due=date(2024, 12, 1))
        cls._invoice(cls.customer_b, 300.0, date(2024, 11, 20), due=date(2024, 12, 20))
        cls._invoice(cls.customer_b, 500.0, date(2024, 12, 1), due=date(2024, 12, 15))

    def _recompute_as_manager(self, date_from, date_to):
        with Form(self.env["adv.kpi.recompute.wizard"].with_user(self.adv_manager)) as wizard:
            wizard.date_from = date_from
            wizard.date_to = date_to
        wizard.record.action_recompute()

    def test_month_in_progress_is_as_of_today(self):
        self._recompute_as_manager(NOV, DEC)
        nov, dec = self._row(NOV), self._row(DEC)
        # November is over: as of its last day, all its 30 days counted; nothing was overdue then.
        self.assertEqual((nov.as_of_date, nov.days), (date(2024, 11, 30), 30))
        self.assertAlmostEqual(nov.receivable_not_due, 1500.0)
        self.assertAlmostEqual(nov.receivable_overdue, 0.0)
        self.assertAlmostEqual(nov.dso_simple, 30.0)
        # December, as of today: only the invoice due on 30 November is overdue; those due today,
        # on the 15th and on the 20th are not.
        self.assertEqual((dec.as_of_date, dec.days), (DEC, 1))
        self.assertAlmostEqual(dec.receivable_end, 2000.0)
        self.assertAlmostEqual(dec.receivable_not_due, 1000.0)
        self.assertAlmostEqual(dec.receivable_overdue, 1000.0)
        # 500 sold in the 1 day gone by: DSO 2,000 / 500 x 1, best possible 1,000 / 500 x 1.
        self.assertAlmostEqual(dec.dso_simple, 4.0)
        self.assertAlmostEqual(dec.dso_best, 2.0)
        self.assertAlmostEqual(dec.days_delinquent, 2.0)
        self.assertAlmostEqual(dec.daily_revenue, 500.0 / 30 * 31)
        customer_b = self._row(DEC, "customer", partner_id=self.customer_b)
        self.assertAlmostEqual(customer_b.receivable_overdue, 0.0, msg="due on the 15th and the 20th")
        self.assertEqual(customer_b.as_of_date, DEC)
        # The drill-down shows the invoices of the month up to the as-of date.
        self.assertIn(("invoice_date", "<=", DEC), dec.action_view_invoices()["domain"])

    def test_as_of_moves_with_the_days_and_a_partial_month_is_no_chain_base(self):
        self._compute(NOV, DEC)
        with freeze_time("2024-12-16"):
            self._compute(DEC)
            dec = self._row(DEC)
            self.assertEqual((dec.as_of_date, dec.days), (date(2024, 12, 16), 16))
            # The invoice due on the 15th is overdue from the 16th.
            self.assertAlmostEqual(dec.receivable_overdue, 1700.0)
            chained = (dec.receivable_end, dec.receivable_not_due)
            self.Snapshot.with_context(adv_kpi_full=True)._compute_month(self.company, DEC)
            rebuilt = self._row(DEC)
            self.assertEqual(chained, (rebuilt.receivable_end, rebuilt.receivable_not_due))
        with freeze_time("2025-01-02"):
            # December as of the 16th cannot serve as January's base until it is recomputed in full.
            self.assertFalse(self.Snapshot._is_chain_base_valid(self.company, date(2025, 1, 1)))
            self.Snapshot._cron_compute_snapshots()
            self.assertEqual(self._row(DEC).as_of_date, date(2024, 12, 31))
            self.assertEqual(self._row(date(2025, 1, 1)).as_of_date, date(2025, 1, 2))

    def test_months_not_started_are_not_computed(self):
        with self.assertRaises(UserError):
            self.Snapshot._compute_month(self.company, date(2025, 1, 1))
        self._recompute_as_manager(DEC, date(2025, 3, 1))
        self.assertTrue(self._row(DEC))
        self.assertFalse(self.Snapshot.search([("company_id", "=", self.company.id), ("month", ">", DEC)]))


@tagged("post_install", "-at_install")
class TestRatioEdgeCases(AdvKpiCommon):
    """A month whose credit sales are zero or negative has no DSO; a rate over nothing is empty. Both
    stay out of the averages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # January: 1,000 sold, open. February: only a 300 credit note (credit sales -300). March: an
        # invoice and a credit note of the same amount (credit sales 0).
        cls._invoice(cls.customer_a, 1000.0, date(2024, 1, 15), due=date(2024, 1, 28))
        cls._invoice(cls.customer_a, 300.0, date(2024, 2, 10), move_type="out_refund", due=date(2024, 2, 10))
        cls._invoice(cls.customer_b, 400.0, date(2024, 3, 5), due=date(2024, 3, 20))
        cls._invoice(cls.customer_b, 400.0, date(2024, 3, 6), move_type="out_refund", due=date(2024, 3, 6))
        cls.Snapshot._compute_months(cls.company, JAN, MAR)

    def _stored(self, row, *names):
        """The values as stored, NULL included (the ORM reads an empty float as 0.0)."""
        self.env.flush_all()
        columns = SQL(", ").join(SQL.identifier(name) for name in names)
        self.env.cr.execute(SQL("SELECT %s FROM adv_kpi_snapshot WHERE id = %s", columns, row.id))
        return self.env.cr.fetchone()

    def test_dso_not_meaningful_without_positive_credit_sales(self):
        jan, feb, mar = self._row(JAN), self._row(FEB), self._row(MAR)
        self.assertTrue(jan.dso_meaningful)
        self.assertAlmostEqual(jan.dso_simple, 31.0)
        self.assertAlmostEqual(feb.credit_sales, -300.0)
        self.assertAlmostEqual(mar.credit_sales, 0.0)
        for row in (feb, mar):
            self.assertFalse(row.dso_meaningful)
            stored = self._stored(row, "dso_simple", "dso_best", "days_delinquent")
            self.assertEqual(stored, (None, None, None))
            self.assertEqual(row.cash_tied_late, 0.0)
        # The pivot's average over the three months is January's DSO, not diluted by empty months.
        [[avg_dso, avg_best]] = self.Snapshot._read_group(
            [("company_id", "=", self.company.id), ("dimension", "=", "company")],
            aggregates=["dso_simple:avg", "dso_best:avg"],
        )
        self.assertAlmostEqual(avg_dso, 31.0)
        self.assertAlmostEqual(avg_best, 0.0)  # January's: its 1,000 were overdue at month end

    def test_rate_with_zero_base_is_empty(self):
        feb, mar = self._row(FEB), self._row(MAR)
        # February has a credit note and no invoice: no credit-note rate (not 100 %), no OTIF.
        self.assertEqual((feb.invoice_count, feb.refund_count), (0, 1))
        self.assertEqual(
            self._stored(feb, "credit_note_rate", "dispute_rate", "billing_otif", "billing_delay"),
            (None, None, None, None),
        )
        self.assertAlmostEqual(mar.credit_note_rate, 100.0)  # one credit note per invoice
        [[avg_rate]] = self.Snapshot._read_group(
            [("company_id", "=", self.company.id), ("dimension", "=", "company")],
            aggregates=["credit_note_rate:avg"],
        )
        self.assertAlmostEqual(avg_rate, 50.0, msg="January's 0 % and March's 100 %; February has none")

    def test_counts_are_integers(self):
        fields = self.Snapshot.fields_get(
            ["invoice_count", "refund_count", "error_refund_count", "dispute_count", "otif_count"],
            ["type"],
        )
        self.assertEqual({f["type"] for f in fields.values()}, {"integer"})
        self.assertIsInstance(self._row(MAR).invoice_count, int)

    def test_export_leaves_meaningless_ratios_empty(self):
        wizard = self.env["adv.kpi.export.wizard"].create(
            {"date_from": JAN, "date_to": MAR, "company_id": self.company.id, "dimension": "customer"}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw))
        summary = book["Summary"]
        header = [cell.value for cell in summary[3]]
        jan, feb = summary[4], summary[5]
        dso = header.index("DSO (days)")
        self.assertAlmostEqual(jan[dso].value, 31.0)
        self.assertIsNone(feb[dso].value, "not meaningful: empty, not 0")
        self.assertIsNone(feb[header.index("Credit-note Rate (%)")].value)
        self.assertEqual(feb[header.index("As of")].value.date(), date(2024, 2, 29))
        credit = book["Credit notes"]
        header = [cell.value for cell in credit[1]]
        row = next(r for r in credit.iter_rows(min_row=2) if r[0].value.date() == FEB)
        count = row[header.index("Credit Notes")]
        self.assertEqual((count.value, count.number_format), (1, "#,##0"))

    def test_upgrade_fills_as_of_and_empties_old_ratios(self):
        """Rows stored before the as-of date existed (0 for a ratio over nothing) are brought in line."""
        feb = self._row(FEB)
        self.env.cr.execute(
            SQL(
                """UPDATE adv_kpi_snapshot SET as_of_date = NULL, dso_meaningful = NULL, dso_simple = 0,
                          credit_note_rate = 100 WHERE id = %s""",
                feb.id,
            )
        )
        self.Snapshot._init_as_of_and_empty_ratios()
        self.assertEqual(self._stored(feb, "as_of_date", "dso_meaningful"), (date(2024, 2, 29), False))
        self.assertEqual(self._stored(feb, "dso_simple", "credit_note_rate"), (None, None))
        self.assertAlmostEqual(self._stored(self._row(JAN), "dso_simple")[0], 31.0)

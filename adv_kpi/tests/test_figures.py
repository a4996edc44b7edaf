from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import AdvKpiCommon


@tagged("post_install", "-at_install")
class TestSameFiguresOnEveryScreen(AdvKpiCommon):
    """One data set, the same not yet due / overdue / total on every screen that shows them: Customer
    Credit, Credit Exposure, the cash forecast, the KPI rows and top customers, the Health signals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.Snapshot)
        cls.current = cls.today.replace(day=1)
        cls.last = cls.current - relativedelta(months=1)
        month_end = cls.current + relativedelta(months=1, days=-1)
        customer, dated = cls.customer_a, cls.last
        # Overdue 1,000; not yet due 2,000 (due after the month end); an unmatched credit note of 300,
        # due long ago; 400 due today; 1,500 not yet due of which 500 disputed.
        cls._invoice(customer, 1000.0, dated, due=cls.today - timedelta(days=20))
        cls.not_due = cls._invoice(customer, 2000.0, dated, due=month_end + timedelta(days=10))
        cls._invoice(customer, 300.0, dated, move_type="out_refund", due=dated)
        cls.due_today = cls._invoice(customer, 400.0, dated, due=cls.today)
        cls.disputed = cls._invoice(customer, 1500.0, dated, due=month_end + timedelta(days=20))
        cls.env["adv.dispute"].create(
            {"partner_id": customer.id, "invoice_ids": cls.disputed.ids, "amount_disputed": 500.0}
        )
        # Credit note netted against the overdue debt first: 1,000 - 300.
        cls.overdue, cls.not_yet_due, cls.total = 700.0, 2000.0 + 400.0 + 1500.0, 4600.0

    def _as_of(self, row):
        # The date a KPI row is as of: the month's end for a month already over.
        return row["as_of_date"] if "as_of_date" in row._fields else row.date_end

    def test_same_figures_on_every_screen(self):
        user = self.adv_manager
        # Customer Credit (the partner form's credit tab)
        partner = self.customer_a.with_user(user)
        self.assertAlmostEqual(partner.adv_exposure_overdue, self.overdue)
        self.assertAlmostEqual(partner.adv_exposure_not_due, self.not_yet_due)
        self.assertAlmostEqual(partner.adv_exposure_total, self.total)
        self.assertAlmostEqual(partner.adv_exposure_disputed, 500.0)
        # Credit Exposure
        exposure = (
            self.env["adv.credit.exposure"]
            .with_user(user)
            .search([("partner_id", "=", self.customer_a.id), ("company_id", "=", self.company.id)])
        )
        self.assertAlmostEqual(exposure.amount_overdue, self.overdue)
        self.assertAlmostEqual(exposure.amount_not_due, self.not_yet_due)
        self.assertAlmostEqual(exposure.amount_total, self.total)
        # Cash forecast: by due status the same buckets; by certainty the disputed part apart.
        rows = (
            self.env["adv.cash.forecast"]
            .with_user(user)
            .search([("partner_id", "=", self.customer_a.id), ("company_id", "=", self.company.id)])
        )

        def total(records):
            return round(sum(records.mapped("amount")), 2)

        self.assertAlmostEqual(total(rows.filtered(lambda r: r.due_status == "overdue")), self.overdue)
        self.assertAlmostEqual(total(rows.filtered(lambda r: r.due_status == "not_due")), self.not_yet_due)
        self.assertAlmostEqual(total(rows), self.total)
        self.assertAlmostEqual(total(rows.filtered(lambda r: r.certainty == "disputed")), 500.0)
        self.assertAlmostEqual(total(rows.filtered(lambda r: r.certainty == "not_due")), 3400.0)
        # KPI rows of the month in progress, chained on last month's and rebuilt from the open items.
        self.Snapshot._compute_months(self.company, self.last, self.current)
        chained = self._kpi_figures(self.current)
        self.Snapshot.with_context(adv_kpi_full=True)._compute_month(self.company, self.current)
        self.assertEqual(self._kpi_figures(self.current), chained)
        row = self._row(self.current, "customer", partner_id=self.customer_a)
        # The invoice due today turns overdue tomorrow: on a row as of a later day (the month's end,
        # before the month is over) it has moved.
        moved = 400.0 if self._as_of(row) > self.today else 0.0
        expected = (
            round(self.overdue + moved, 2),
            round(self.not_yet_due - moved, 2),
            round(self.total, 2),
        )
        self.assertEqual(chained["customer"], expected)
        self.assertEqual(chained["company"], expected, "one customer: the company row is the same")
        # Top customers by overdue (the dashboard's pivot on the customer rows)
        top = self.Snapshot._read_group(
            [
                ("company_id", "=", self.company.id),
                ("month", "=", self.current),
                ("dimension", "=", "customer"),
            ],
            ["partner_id"],
            ["receivable_overdue:sum"],
            order="receivable_overdue:sum desc",
        )
        self.assertEqual(top[0][0], self.customer_a)
        self.assertAlmostEqual(top[0][1], expected[0])
        # Health: DSO of last month from the same rows as the dashboard's; everything was invoiced and
        # still open at its end, so receivables = credit sales and the DSO is the month's days.
        self.env["adv.kpi.signal"]._refresh(self.company)
        dso = self.env["adv.kpi.signal"].search([("company_id", "=", self.company.id), ("code", "=", "dso")])
        last_row = self._row(self.last)
        self.assertAlmostEqual(last_row.receivable_end, self.total)
        self.assertAlmostEqual(dso.value, round(last_row.dso_simple, 1))
        self.assertAlmostEqual(dso.value, last_row.days, places=1)

    def _kpi_figures(self, month):
        figures = {}
        for dimension, key in (("customer", {"partner_id": self.customer_a}), ("company", {})):
            row = self._row(month, dimension, **key)
            figures[dimension] = (
                round(row.receivable_overdue, 2),
                round(row.receivable_not_due, 2),
                round(row.receivable_end, 2),
            )
        return figures

    def test_kpi_rows_never_count_a_credit_note_overdue(self):
        # A customer with only an open credit note (due long ago) and nothing else.
        self._invoice(self.customer_b, 250.0, self.last, move_type="out_refund", due=self.last)
        self.Snapshot._compute_months(self.company, self.last, self.current)
        row = self._row(self.current, "customer", partner_id=self.customer_b)
        self.assertEqual(
            (row.receivable_overdue, row.receivable_not_due, row.receivable_end), (0.0, -250.0, -250.0)
        )

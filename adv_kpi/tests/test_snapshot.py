from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import APR, FEB, JAN, MAR, AdvKpiCommon


@tagged("post_install", "-at_install")
class TestKpiSnapshot(AdvKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Jan: 3,100 invoiced and paid. Feb: 1,450 invoiced, 550 paid on 25 March.
        # Mar: 2,000 due in April and 1,100 overdue at month end.
        jan = cls._invoice(cls.customer_a, 3100.0, date(2024, 1, 15))
        cls._pay(jan, 3100.0, date(2024, 1, 20))
        feb = cls._invoice(cls.customer_b, 1450.0, date(2024, 2, 10), due=date(2024, 2, 28))
        cls._pay(feb, 550.0, date(2024, 3, 25))
        cls._invoice(cls.customer_a, 2000.0, date(2024, 3, 10), due=date(2024, 4, 9))
        cls._invoice(cls.customer_b, 1100.0, date(2024, 3, 20), due=date(2024, 3, 25))

    def test_simple_countback_best_dso(self):
        self._compute(JAN, FEB, MAR)
        feb, mar = self._row(FEB), self._row(MAR)
        # February: 1,450 open of 1,450 sold in 29 days.
        self.assertAlmostEqual(feb.receivable_end, 1450.0)
        self.assertAlmostEqual(feb.dso_simple, 29.0)
        # March: 900 + 2,000 + 1,100 = 4,000 open; 3,100 sold in 31 days.
        self.assertAlmostEqual(mar.receivable_end, 4000.0)
        self.assertAlmostEqual(mar.credit_sales, 3100.0)
        self.assertAlmostEqual(mar.dso_simple, 4000.0 / 3100.0 * 31)  # 40 days
        # Countback: March's 3,100 covers 31 days, the 900 left are 900 / 1,450 of February's 29 days.
        self.assertAlmostEqual(mar.dso_countback, 31 + 900.0 / 1450.0 * 29)  # 49 days
        # Best possible: only the 2,000 not yet due; days delinquent = 40 - 20.
        self.assertAlmostEqual(mar.receivable_not_due, 2000.0)
        self.assertAlmostEqual(mar.dso_best, 20.0)
        self.assertAlmostEqual(mar.days_delinquent, 20.0)
        self.assertAlmostEqual(mar.receivable_overdue, 2000.0)

    def test_countback_stops_once_receivables_are_exhausted(self):
        # April: 500 invoiced, paid in May (a May without sales); June: 700 invoiced, still open.
        customer = self.env["res.partner"].create({"name": "KPI Customer C", "company_id": False})
        april = self._invoice(customer, 500.0, date(2024, 4, 15), due=date(2024, 4, 30))
        self._pay(april, 500.0, date(2024, 5, 10))
        self._invoice(customer, 700.0, date(2024, 6, 10), due=date(2024, 7, 10))
        june = date(2024, 6, 1)
        self._compute(APR, date(2024, 5, 1), june)
        row = self._row(june, "customer", partner_id=customer)
        # June's 700 cover the 700 open: its 30 days, and May's empty month does not add its 31.
        self.assertAlmostEqual(row.receivable_end, 700.0)
        self.assertAlmostEqual(row.dso_countback, 30.0)

    def test_first_cron_run_fills_the_last_twelve_months(self):
        with freeze_time("2024-04-10"):
            self.Snapshot._cron_compute_snapshots()
            for month in (JAN, FEB, MAR, APR):
                self.assertTrue(self._row(month), f"{month} must be computed at the first run")
            self.assertAlmostEqual(self._row(MAR).receivable_end, 4000.0)
            self.assertFalse(self._row(date(2023, 4, 1)), "history stops at twelve months")
            # Later runs recompute only the previous and the current month.
            self.Snapshot.search([("company_id", "=", self.company.id), ("month", "=", JAN)]).unlink()
            self.Snapshot._cron_compute_snapshots()
            self.assertFalse(self._row(JAN))
            self.assertTrue(self._row(MAR))

    def test_cron_goes_on_past_a_failing_company(self):
        # Another company fails (a raised error patched in): logged, and this company is still computed.
        failing = self.env.ref("base.main_company")
        self.assertLess(failing.id, self.company.id, "the failing company comes first")
        Snapshot = self.registry["adv.kpi.snapshot"]
        original = Snapshot._compute_company

        def _compute_company(model, company, current, history=False):
            if company == failing:
                raise ValueError("snapshot storage unavailable")
            return original(model, company, current, history=history)

        with (
            freeze_time("2024-04-10"),
            patch.object(Snapshot, "_compute_company", _compute_company),
            self.assertLogs("odoo.addons.adv_kpi.models.adv_kpi_snapshot", "ERROR") as logs,
        ):
            self.Snapshot._cron_compute_snapshots()
            self.assertAlmostEqual(self._row(MAR).receivable_end, 4000.0)
        self.assertEqual(len(logs.records), 1)
        self.assertIn(failing.name, logs.output[0])
        self.assertFalse(self.Snapshot.search_count([("company_id", "=", failing.id), ("month", "=", MAR)]))

    def test_dimensions(self):
        self._compute(MAR)
        customer_b = self._row(MAR, "customer", partner_id=self.customer_b)
        self.assertAlmostEqual(customer_b.receivable_end, 2000.0)
        self.assertAlmostEqual(customer_b.invoice_amount, 1100.0)
        agent = self._row(MAR, "agent", user_id=self.adv_user)
        self.assertEqual(agent.invoice_count, 2)
        salesperson = self._row(MAR, "salesperson", user_id=self.adv_manager)
        self.assertAlmostEqual(salesperson.credit_sales, 3100.0)
        self.assertFalse(self._row(MAR, "agent", user_id=self.adv_user2))

    def _receivables(self, month):
        rows = self.Snapshot.search([("company_id", "=", self.company.id), ("month", "=", month)])
        return sorted(
            (
                r.dimension,
                r.partner_id.id,
                r.user_id.id,
                round(r.receivable_end, 2),
                round(r.receivable_not_due, 2),
            )
            for r in rows
            if r.receivable_end or r.receivable_not_due
        )

    def test_chained_month_equals_full_rebuild(self):
        self._compute(JAN, FEB)
        self.assertTrue(self.Snapshot._is_chain_base_valid(self.company, MAR))
        self._compute(MAR)
        chained = self._receivables(MAR)
        self.Snapshot.with_context(adv_kpi_full=True)._compute_month(self.company, MAR)
        self.assertEqual(chained, self._receivables(MAR))
        self.assertIn(("customer", self.customer_b.id, False, 2000.0, 0.0), chained)

    def test_late_reconciliation_of_a_past_month_is_not_chained(self):
        self._compute(JAN, FEB)
        # 900 of February's invoice paid on 27 February, registered after February was computed.
        february_invoice = self.env["account.move"].search(
            [("partner_id", "=", self.customer_b.id), ("invoice_date", "=", date(2024, 2, 10))]
        )
        self._pay(february_invoice, 900.0, date(2024, 2, 27))
        self.assertFalse(self.Snapshot._is_chain_base_valid(self.company, MAR))
        self._compute(MAR)
        # 4,000 open at the end of March less the 900 paid in February.
        self.assertAlmostEqual(self._row(MAR).receivable_end, 3100.0)
        # Recomputing February makes it a valid base again, and the chain gives the same figures.
        self._compute(FEB)
        self.assertTrue(self.Snapshot._is_chain_base_valid(self.company, MAR))
        rebuilt = self._receivables(MAR)
        self._compute(MAR)
        self.assertEqual(rebuilt, self._receivables(MAR))

    def test_recompute_idempotent(self):
        self._compute(FEB, MAR)
        first = self._row(MAR, "customer").read(
            ["partner_id", "receivable_end", "dso_simple", "dso_countback"]
        )
        count = self.Snapshot.search_count([("company_id", "=", self.company.id)])
        self._compute(MAR)
        self._compute(MAR)
        again = self._row(MAR, "customer").read(
            ["partner_id", "receivable_end", "dso_simple", "dso_countback"]
        )
        self.assertEqual(
            sorted((r["partner_id"], r["receivable_end"], r["dso_countback"]) for r in first),
            sorted((r["partner_id"], r["receivable_end"], r["dso_countback"]) for r in again),
        )
        self.assertEqual(self.Snapshot.search_count([("company_id", "=", self.company.id)]), count)

    def test_closed_period_frozen(self):
        self._compute(MAR)
        period = self.env["adv.billing.period"].create(
            {
                "name": "March 2024",
                "company_id": self.company.id,
                "date_start": MAR,
                "date_end": date(2024, 3, 31),
            }
        )
        period.write({"state": "closed"})
        self._invoice(self.customer_a, 999.0, date(2024, 3, 30))
        self._compute(MAR)
        row = self._row(MAR)
        self.assertTrue(row.is_frozen)
        self.assertAlmostEqual(row.credit_sales, 3100.0, msg="a closed period keeps its figures")
        period.write({"state": "invoicing"})
        self._compute(MAR)
        self.assertAlmostEqual(self._row(MAR).credit_sales, 4099.0)
        self.assertFalse(self._row(MAR).is_frozen)

    def test_credit_note_and_billing_error_rates(self):
        invoices = [self._invoice(self.customer_a, 100.0 * n, date(2024, 4, n)) for n in (1, 2, 3, 4)]
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoices[1].ids)
            .create(
                {
                    "reason": "wrong price",
                    "adv_refund_reason": "billing_error",
                    "journal_id": invoices[1].journal_id.id,
                    "date": date(2024, 4, 20),
                }
            )
        )
        refund = self.env["account.move"].browse(reversal.reverse_moves()["res_id"])
        self.assertEqual(refund.adv_refund_reason, "billing_error")
        refund.action_post()
        self._compute(APR)
        row = self._row(APR)
        self.assertEqual((row.invoice_count, row.refund_count, row.error_refund_count), (4, 1, 1))
        self.assertAlmostEqual(row.credit_note_rate, 25.0)  # 1 credit note / 4 invoices
        self.assertAlmostEqual(row.credit_note_amount_rate, 200.0 / 1000.0 * 100)  # 20 %
        self.assertAlmostEqual(row.billing_error_rate, 25.0)
        self.assertAlmostEqual(row.credit_sales, 800.0)
        facts = self.env["adv.kpi.invoice.report"].search([("move_id", "=", invoices[1].id)])
        self.assertTrue(facts.is_credited)

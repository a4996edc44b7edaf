import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import FEB, JAN, MAR, AdvKpiCommon


@tagged("post_install", "-at_install")
class TestBillingKpis(AdvKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls.env["adv.billing.period"].create(
            {
                "name": "January 2024",
                "company_id": cls.company.id,
                "date_start": JAN,
                "date_end": date(2024, 1, 31),
                "invoicing_deadline": date(2024, 2, 5),
            }
        )

    def _period_invoice(self, amount, day, **vals):
        return self._invoice(
            self.customer_a, amount, date(2024, 2, day), adv_billing_period_id=self.period.id, **vals
        )

    def test_billing_delay_weighted_and_otif(self):
        self._period_invoice(1000.0, 7)  # 7 days after the period end, after the deadline
        on_time = self._period_invoice(3000.0, 3)  # 3 days, on time
        self._period_invoice(1000.0, 1)  # 1 day, on time
        self._invoice(self.customer_b, 500.0, date(2024, 2, 10))  # no reference date: no delay, no deadline
        self._compute(FEB)
        row = self._row(FEB)
        # (7 x 1,000 + 3 x 3,000 + 1 x 1,000) / 5,000 = 3.4 days
        self.assertAlmostEqual(row.billing_delay, 3.4)
        self.assertEqual((row.otif_count, row.otif_base), (2, 3))
        self.assertAlmostEqual(row.billing_otif, 200.0 / 3)
        # Credited afterwards: no longer "in full".
        refund = on_time._reverse_moves([{"invoice_date": date(2024, 3, 2), "date": date(2024, 3, 2)}])
        refund.action_post()
        self._compute(FEB)
        self.assertAlmostEqual(self._row(FEB).billing_otif, 100.0 / 3)
        facts = self.env["adv.kpi.invoice.report"].search([("move_id", "=", on_time.id)])
        self.assertEqual((facts.reference_date, facts.billing_delay), (date(2024, 1, 31), 3.0))

    def test_cash_tied_up_reference_example(self):
        """2,000,000 EUR a month invoiced 7 days late ties up 466,667 EUR (30-day month)."""
        self._period_invoice(2_000_000.0, 7)
        self._compute(FEB)
        row = self._row(FEB)
        self.assertAlmostEqual(row.billing_delay, 7.0)
        self.assertAlmostEqual(row.daily_revenue, 2_000_000.0 / 30)
        self.assertEqual(round(row.cash_tied_delay), 466_667)
        self.company.adv_kpi_day_count = "365"
        self._compute(FEB)
        self.assertAlmostEqual(self._row(FEB).cash_tied_delay, 2_000_000.0 * 12 / 365 * 7, places=2)

    def test_cash_tied_by_late_payment(self):
        # 3,000 sold in February (29 days); 1,500 open and overdue at month end: ADD = 14.5 days.
        invoice = self._invoice(self.customer_a, 3000.0, date(2024, 2, 1), due=date(2024, 2, 10))
        self._pay(invoice, 1500.0, date(2024, 2, 15))
        self._compute(FEB)
        row = self._row(FEB)
        self.assertAlmostEqual(row.days_delinquent, 14.5)
        self.assertAlmostEqual(row.cash_tied_late, 3000.0 / 30 * 14.5)

    def test_productivity_per_agent(self):
        order = (
            self.env["sale.order"]
            .with_user(self.adv_user2)
            .create(
                {
                    "partner_id": self.customer_a.id,
                    "company_id": self.company.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.adv_agent_id, self.adv_user2)
        self._invoice(self.customer_a, 100.0, date.today(), agent=self.adv_user2)
        self._invoice(self.customer_b, 100.0, date.today(), agent=self.adv_user2)
        self._compute(date.today())
        row = self._row(date.today().replace(day=1), "agent", user_id=self.adv_user2)
        self.assertEqual((row.orders_handled, row.invoice_count, row.refund_count), (1, 2, 0))

    def test_agent_defaults_to_creator(self):
        move = (
            self.env["account.move"]
            .with_user(self.adv_user2)
            .create(
                {"move_type": "out_invoice", "partner_id": self.customer_a.id, "company_id": self.company.id}
            )
        )
        self.assertEqual(move.adv_agent_id, self.adv_user2)

    def test_scope_and_refusals(self):
        self._invoice(self.customer_a, 100.0, date(2024, 3, 5), agent=self.adv_user)
        self._invoice(self.customer_b, 100.0, date(2024, 3, 6), agent=self.adv_user2)
        self._compute(MAR)
        own = self.Snapshot.with_user(self.adv_user).search([("company_id", "=", self.company.id)])
        self.assertEqual(own.user_id, self.adv_user, "an ADV User only sees their own rows")
        self.assertIn("company", self.Snapshot.with_user(self.adv_manager).search([]).mapped("dimension"))
        credit_manager = self._make_user(
            "kpi_credit_manager", self.env.ref("adv_credit_mgmt.group_credit_manager")
        )
        self.assertIn("company", self.Snapshot.with_user(credit_manager).search([]).mapped("dimension"))
        wizard = self.env["adv.kpi.recompute.wizard"].with_user(self.adv_user)
        with self.assertRaises(AccessError):
            wizard.create({"date_from": MAR, "date_to": MAR}).action_recompute()
        with self.assertRaises(ValidationError):
            self.company.adv_kpi_dso_red = -1

    def test_xlsx_export_read_back(self):
        self._period_invoice(2_000_000.0, 7)
        self._compute(JAN, FEB)
        wizard = self.env["adv.kpi.export.wizard"].create(
            {"date_from": JAN, "date_to": FEB, "company_id": self.company.id, "dimension": "customer"}
        )
        action = wizard.action_export()
        self.assertIn(str(wizard.attachment_id.id), action["url"])
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw), read_only=False)
        # Bridges (e.g. delivery OTIF with Inventory) add their sheets after these.
        self.assertEqual(
            book.sheetnames[:10],
            [
                "Summary",
                "DSO",
                "Billing delay",
                "Credit notes",
                "Disputes",
                "Billing OTIF",
                "Productivity",
                "FAE-PCA",
                "Cash tied up",
                "Invoices",
            ],
        )
        summary = book["Summary"]
        header = [cell.value for cell in summary[3]]
        feb_row = [cell.value for cell in summary[5]]
        self.assertEqual(feb_row[0].date(), FEB)
        self.assertAlmostEqual(feb_row[header.index("Credit Sales (tax incl.)")], 2_000_000.0)
        self.assertEqual(round(feb_row[header.index("Cash Tied Up by Billing Delay")]), 466_667)
        self.assertEqual(len(summary._charts), 1)
        cash = book["Cash tied up"]
        self.assertEqual(cash["C2"].value, self.customer_a.name)
        self.assertEqual(len(cash._charts), 1)
        invoices = book["Invoices"]
        self.assertEqual(invoices.max_row, 2)
        self.assertEqual(invoices["D2"].value, self.adv_manager.name)

    @freeze_time("2024-04-15")
    def test_export_refuses_reversed_months(self):
        with self.assertRaises(ValidationError):
            self.env["adv.kpi.export.wizard"].create({"date_from": MAR, "date_to": FEB})

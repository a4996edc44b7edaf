from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import APR, MAR, AdvKpiCommon


@tagged("post_install", "-at_install")
class TestDisputeKpis(AdvKpiCommon):
    """Dispute rate, resolution time and share resolved within the agreed deadline (adv_credit_mgmt)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # April: 4 invoices for 3,000.
        cls.inv_a1 = cls._invoice(cls.customer_a, 1000.0, date(2024, 4, 1))
        cls._invoice(cls.customer_a, 1000.0, date(2024, 4, 2))
        cls.inv_b1 = cls._invoice(cls.customer_b, 500.0, date(2024, 4, 1))
        cls.inv_b2 = cls._invoice(cls.customer_b, 500.0, date(2024, 4, 2))
        cls.march = cls._invoice(cls.customer_a, 800.0, date(2024, 3, 5))
        # Billing-error disputes have a 10-day deadline, commercial ones 30 days.
        cls.d1 = cls._dispute(cls.customer_a, cls.inv_a1, 400.0, date(2024, 4, 2), "billing")
        cls.d2 = cls._dispute(cls.customer_b, cls.inv_b1, 500.0, date(2024, 4, 5), "billing")
        cls.d3 = cls._dispute(cls.customer_a, cls.march, 300.0, date(2024, 3, 20), "commercial")
        cls.d4 = cls._dispute(cls.customer_b, cls.inv_b2, 500.0, date(2024, 4, 20), "billing")
        cls._resolve(cls.d1, date(2024, 4, 10))  # 8 days, deadline 12 April: in time
        cls._resolve(cls.d2, date(2024, 4, 25))  # 20 days, deadline 15 April: late
        cls._resolve(cls.d3, date(2024, 4, 15))  # 26 days, deadline 19 April: in time

    @classmethod
    def _dispute(cls, partner, invoice, amount, opened, dispute_type):
        return cls.env["adv.dispute"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "amount_disputed": amount,
                "date_open": opened,
                "dispute_type": dispute_type,
                "user_id": cls.adv_user.id,
            }
        )

    @classmethod
    def _resolve(cls, dispute, day):
        with freeze_time(day):
            dispute.decision = "rejected"
            dispute.action_resolve()
        assert dispute.date_resolved == day

    def test_dispute_rate_and_resolution(self):
        self._compute(MAR, APR)
        row = self._row(APR)
        # Opened in April: 3 disputed invoices of 4, 1,400 disputed of 3,000 invoiced.
        self.assertEqual((row.invoice_count, row.dispute_count), (4, 3))
        self.assertAlmostEqual(row.dispute_rate, 75.0)
        self.assertAlmostEqual(row.dispute_amount_rate, 1400.0 / 3000.0 * 100)
        # Resolved in April: (8 + 20 + 26) / 3 = 18 days; 2 of 3 within the deadline.
        self.assertEqual(row.dispute_resolved_count, 3)
        self.assertAlmostEqual(row.dispute_resolution_time, 18.0)
        self.assertAlmostEqual(row.dispute_in_time_rate, 200.0 / 3)
        # March's dispute counts in March's rate, its resolution in April's.
        march = self._row(MAR)
        self.assertEqual((march.dispute_count, march.dispute_resolved_count), (1, 0))
        self.assertAlmostEqual(march.dispute_rate, 100.0)

    def test_dispute_dimensions(self):
        self._compute(APR)
        customer_a = self._row(APR, "customer", partner_id=self.customer_a)
        # Customer A: d1 (8 days) and d3 (26 days), both in time.
        self.assertAlmostEqual(customer_a.dispute_resolution_time, 17.0)
        self.assertAlmostEqual(customer_a.dispute_in_time_rate, 100.0)
        self.assertEqual(customer_a.dispute_count, 1)
        agent = self._row(APR, "agent", user_id=self.adv_user)
        self.assertEqual(agent.dispute_resolved_count, 3)

    def test_reopened_and_cancelled_disputes_leave_the_figures(self):
        self.d4.action_cancel()
        self.d2.write({"state": "open"})
        self.assertFalse(self.d2.date_resolved)
        self._compute(APR)
        row = self._row(APR)
        # d4 cancelled: 2 disputed invoices left (d1, d2); d2 reopened: resolved d1 and d3 only.
        self.assertEqual((row.dispute_count, row.dispute_resolved_count), (2, 2))
        self.assertAlmostEqual(row.dispute_resolution_time, 17.0)
        self.assertAlmostEqual(row.dispute_in_time_rate, 100.0)

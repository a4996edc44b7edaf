from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestAccrual(AdvBillingCommon):
    def _invoice(self, order_line, quantity, price, day, service=None):
        values = {
            "product_id": order_line.product_id.id,
            "quantity": quantity,
            "price_unit": price,
            "tax_ids": [Command.clear()],
            "sale_line_ids": [Command.set(order_line.ids)],
        }
        if service:
            values.update(adv_service_date_start=service[0], adv_service_date_end=service[1])
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": order_line.order_id.partner_id.id,
                "invoice_date": day,
                "invoice_line_ids": [Command.create(values)],
            }
        )
        invoice.action_post()
        return invoice

    def test_fae_pca_worked_example(self):
        # Order A: 10 h worked in the period, 5 h after; 4 h invoiced in the period, 3 h after it.
        order_a = self._make_order()
        self._log(order_a, 10, self.in_period)
        self._log(order_a, 5, self.after_period)
        self._invoice(order_a.order_line, 4, 100, self.in_period)
        self._invoice(order_a.order_line, 3, 100, self.after_period)
        # Order B: a 1,200 fee invoiced in the period for a service running three months from its start.
        order_b = self._make_order(fixed=True)
        fee_line = order_b.order_line.filtered(lambda sol: sol.product_id == self.product_fixed)
        service_end = self.period.date_start + relativedelta(months=3, days=-1)
        self._invoice(fee_line, 1, 1200, self.in_period, service=(self.period.date_start, service_end))

        self.period.action_start_invoicing()
        self.period.with_user(self.adv_manager).action_close()
        rows = {row.order_id: row for row in self.period.accrual_ids}
        # FAE = (10 h earned - 4 h invoiced by the period end) x 100 = 600.
        self.assertEqual(rows[order_a].fae_amount, 600)
        self.assertEqual(rows[order_a].pca_amount, 0)
        # PCA = 1,200 x days of service after the period end / days of service.
        total_days = (service_end - self.period.date_start).days + 1
        after_days = (service_end - self.period.date_end).days
        self.assertAlmostEqual(rows[order_b].pca_amount, round(1200 * after_days / total_days, 2))
        self.assertEqual(rows[order_b].fae_amount, 0, "the fee is invoiced, nothing else is earned")
        self.assertEqual(order_a.order_line.qty_invoiced, 7, "the stored quantities are left as they were")

    def test_accrual_entry_and_reversal(self):
        order = self._make_order()
        self._log(order, 10, self.in_period)
        self._enable_accrual_entries()
        self.period.action_start_invoicing()
        self.period.with_user(self.adv_manager).action_close()
        move = self.period.accrual_move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.date, self.period.date_end)
        fae_line = move.line_ids.filtered(lambda line: line.account_id == self.company.adv_fae_account_id)
        self.assertEqual(fae_line.debit, self.period.fae_total)
        reversal = self.env["account.move"].search([("reversed_entry_id", "=", move.id)])
        self.assertEqual(reversal.date, self.period.date_end + relativedelta(days=1))
        self.assertEqual(reversal.state, "posted")

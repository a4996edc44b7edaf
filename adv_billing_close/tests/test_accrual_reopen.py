from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestAccrualReopen(AdvBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_accrual_entries()
        cls.order = cls._make_order()
        cls._log(cls.order, 10, cls.in_period)

    def _fae_balance(self, day):
        """FAE balance on the accrual account as of ``day``, posted entries only."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.company.adv_fae_account_id.id),
                ("parent_state", "=", "posted"),
                ("date", "<=", day),
                ("move_id.journal_id", "=", self.company.adv_accrual_journal_id.id),
            ]
        )
        return sum(lines.mapped("balance"))

    def test_reopen_and_close_again_does_not_double_the_fae(self):
        period = self.period
        day_after = period.date_end + relativedelta(days=1)
        before = self._fae_balance(period.date_end), self._fae_balance(day_after)
        period.with_user(self.adv_user).action_start_invoicing()
        period.with_user(self.adv_manager).action_close()
        first_move = period.accrual_move_id
        first_total = period.fae_total
        self.assertEqual(period.accrual_ids.filtered(lambda a: a.order_id == self.order).fae_amount, 1000)
        self.assertEqual(self._fae_balance(period.date_end) - before[0], first_total)

        period.with_user(self.adv_manager).action_reopen()
        self.assertFalse(period.accrual_move_id)
        self.assertEqual(self._fae_balance(period.date_end) - before[0], 0, "the accrual is cancelled")
        self.assertEqual(self._fae_balance(day_after) - before[1], 0)
        reversals = self.env["account.move"].search([("reversed_entry_id", "=", first_move.id)])
        self.assertEqual(sorted(reversals.mapped("date")), [period.date_end, day_after])
        self.assertTrue(all(move.state == "posted" for move in reversals))
        self.assertIn(first_move.name, str(period.message_ids[:1].body))

        # Two more hours are logged while the period is open again; closing takes the new figure once.
        self._log(self.order, 2, self.in_period)
        period.with_user(self.adv_manager).action_close()
        self.assertEqual(period.accrual_ids.filtered(lambda a: a.order_id == self.order).fae_amount, 1200)
        self.assertEqual(period.fae_total, first_total + 200)
        self.assertNotEqual(period.accrual_move_id, first_move)
        self.assertEqual(
            self._fae_balance(period.date_end) - before[0], period.fae_total, "the new figure, counted once"
        )
        self.assertEqual(self._fae_balance(day_after) - before[1], 0, "reversed on the 1st of the month")

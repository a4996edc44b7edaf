from odoo.tests import tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestBillingCards(AdvBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Queue = cls.env["adv.work.queue"]
        cls.card_easy = Queue.create(
            {"name": "Easy", "code": "preinvoice_easy", "company_id": cls.company.id}
        )
        cls.card_blocked = Queue.create(
            {"name": "Blocked", "code": "preinvoice_blocked", "company_id": cls.company.id}
        )
        cls.card_timesheets = Queue.create(
            {"name": "Timesheets", "code": "timesheets_missing", "company_id": cls.company.id}
        )

    def _figures(self, card):
        card = card.with_user(self.adv_user)
        card.invalidate_recordset()
        return card.count, card.amount

    def test_easy_and_blocked_cards_follow_the_board(self):
        easy_before, easy_amount_before = self._figures(self.card_easy)
        blocked_before, _amount = self._figures(self.card_blocked)
        easy = self._make_order()
        blocked = self._make_order(partner=self.customer2)
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        blocked._compute_adv_billing_instruction_id()
        self._log(easy, 10, self.in_period)
        self._log(blocked, 5, self.in_period)
        # Only these orders (the demo's other orders of the period stay off the board).
        self.env["adv.preinvoice"]._build_board(self.period, easy | blocked)
        self.assertEqual(self._figures(self.card_easy), (easy_before + 1, easy_amount_before + 1000.0))
        self.assertEqual(self._figures(self.card_blocked)[0], blocked_before + 1)
        action = self.card_blocked.with_user(self.adv_user).action_open()
        listed = self.env["adv.preinvoice"].search(action["domain"])
        self.assertIn(self._board_line(blocked), listed)
        self.assertNotIn(self._board_line(easy), listed)

        self._board_line(easy).with_user(self.adv_user).action_create_invoices()
        self.assertEqual(self._figures(self.card_easy)[0], easy_before, "invoiced: off the card")

    def test_timesheets_missing_card(self):
        before = self._figures(self.card_timesheets)[0]
        self.company.adv_timesheet_collection = True
        self.period.action_start_collecting()
        submissions = self.env["adv.timesheet.submission"].search([("period_id", "=", self.period.id)])
        self.assertTrue(submissions)
        # The period is three months back: every submission still to submit is late.
        self.assertEqual(self._figures(self.card_timesheets)[0], before + len(submissions))
        action = self.card_timesheets.with_user(self.adv_user).action_open()
        self.assertLessEqual(submissions, self.env["adv.timesheet.submission"].search(action["domain"]))

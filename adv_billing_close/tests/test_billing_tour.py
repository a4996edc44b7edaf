from odoo.tests import HttpCase, new_test_user, tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestBillingTour(HttpCase, AdvBillingCommon):
    def test_board_tour(self):
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        ready = self._make_order()
        blocked = self._make_order(partner=self.customer2)
        self._log(ready, 6, self.in_period)
        self._log(blocked, 9, self.in_period)
        self.env["adv.preinvoice"]._build_board(self.period, orders=ready | blocked)
        self.start_tour(
            "/odoo/action-adv_billing_close.action_adv_preinvoice", "adv_billing_board_tour", login="admin"
        )
        self.assertEqual(self._board_line(ready).state, "invoiced")
        self.assertEqual(self._board_line(blocked).state, "todo")


@tagged("post_install", "-at_install")
class TestBillingQueueTour(HttpCase, AdvBillingCommon):
    """The close from the ADV overview: each card of this module opens the lines behind it, and the act
    done there (invoice, defer with a reason, remind) takes the line off the card."""

    def test_billing_cards_open_their_list_and_act(self):
        Partner = self.env["res.partner"]
        easy_customer = Partner.create({"name": "Tour Easy Customer", "is_company": True})
        blocked_customer = Partner.create({"name": "Tour Blocked Customer", "is_company": True})
        self.env["adv.billing.instruction"].create({"partner_id": blocked_customer.id, "po_required": True})
        easy = self._make_order(partner=easy_customer)
        blocked = self._make_order(partner=blocked_customer)
        self._log(easy, 6, self.in_period)
        self._log(blocked, 9, self.in_period)
        self.env["adv.preinvoice"]._build_board(self.period, orders=easy | blocked)
        self.assertEqual(self._board_line(easy).category, "easy")
        self.assertEqual(self._board_line(blocked).category, "blocked")
        # A late monthly timesheet of the period, generated as the collection does (collection itself stays
        # off: the timesheets of the orders above stay invoiceable without a validated submission).
        late_user = new_test_user(
            self.env, "tour_late_consultant", groups="hr_timesheet.group_hr_timesheet_user"
        )
        consultant = self.env["hr.employee"].create({"name": "Tour Late Consultant", "user_id": late_user.id})
        submission = (
            self.env["adv.timesheet.submission"]
            ._generate_for_periods(self.period)
            .filtered(lambda s: s.employee_id == consultant)
        )
        self.assertTrue(submission.is_late)

        self.start_tour("/odoo", "adv_billing_queue_tour", login=self.adv_user.login)
        self.assertEqual(self._board_line(easy).state, "invoiced")
        self.assertTrue(easy.invoice_ids)
        line = self._board_line(blocked)
        self.assertEqual(line.state, "deferred")
        self.assertEqual(line.defer_reason, "The customer sends its PO next month")
        self.assertFalse(blocked.invoice_ids)
        self.assertEqual(submission.reminder_count, 1)
        self.assertIn(late_user.partner_id, submission.message_ids.partner_ids)

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestTimesheetSubmission(AdvBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.adv_timesheet_collection = True
        cls.period.action_start_collecting()
        Submission = cls.env["adv.timesheet.submission"]
        cls.submission = Submission.search(
            [("period_id", "=", cls.period.id), ("employee_id", "=", cls.employee.id)]
        )
        cls.submission2 = Submission.search(
            [("period_id", "=", cls.period.id), ("employee_id", "=", cls.employee2.id)]
        )

    def test_generation_and_hours(self):
        self.assertEqual(self.period.state, "collecting")
        self.assertTrue(self.submission)
        self.assertEqual(self.submission.manager_user_id, self.boss_user)
        order = self._make_order()
        self._log(order, 7.5, self.in_period)
        self.submission.invalidate_recordset()
        self.assertEqual(self.submission.logged_hours, 7.5)
        self.assertGreater(self.submission.expected_hours, 100, "a month of the standard 40 h schedule")
        self.period.action_generate_submissions()
        self.assertEqual(
            self.env["adv.timesheet.submission"].search_count(
                [("period_id", "=", self.period.id), ("employee_id", "=", self.employee.id)]
            ),
            1,
        )

    def test_submit_validate_lock(self):
        order = self._make_order()
        timesheet = self._log(order, 8, self.in_period)
        with self.assertRaises(AccessError):
            self.submission.with_user(self.emp2_user).action_submit()
        with self.assertRaises(AccessError):
            self.submission.with_user(self.emp_user).write({"state": "validated"})
        self.submission.with_user(self.emp_user).action_submit()
        self.assertEqual(self.submission.state, "submitted")
        self.assertTrue(self.submission.submitted_on)
        with self.assertRaises(AccessError):
            self.submission.with_user(self.emp2_user).action_validate()
        self.submission.with_user(self.boss_user).action_validate()
        self.assertEqual(self.submission.validated_by_id, self.boss_user)
        self.assertTrue(timesheet.adv_validated)
        with self.assertRaisesRegex(UserError, "validated monthly timesheet"):
            timesheet.with_user(self.emp_user).write({"unit_amount": 9})
        with self.assertRaises(UserError):
            self._log(order, 1, self.in_period, user=self.emp_user)
        # Sending back is the one way to unlock validated hours (no separate unlock any more).
        self.submission.with_user(self.adv_manager)._send_back("Wrong task on the 10th")
        self.assertFalse(timesheet.adv_validated)
        timesheet.with_user(self.emp_user).write({"unit_amount": 9})
        self.assertEqual(timesheet.unit_amount, 9)

    def test_board_unblocked_by_validation(self):
        order = self._make_order()
        self._log(order, 8, self.in_period)
        self._build()
        self.assertEqual(self._board_line(order).blocker_type_ids.mapped("code"), ["timesheet_not_validated"])
        self.submission.action_submit()
        self.submission.action_validate()
        self._build()
        self.assertEqual(self._board_line(order).state, "ready")

    def test_send_back_needs_comment(self):
        self.submission.with_user(self.emp_user).action_submit()
        with self.assertRaises(UserError):
            self.submission.with_user(self.boss_user)._send_back("")
        wizard = (
            self.env["adv.submission.sendback.wizard"]
            .with_user(self.boss_user)
            .create({"submission_ids": [(6, 0, self.submission.ids)], "comment": "Tuesday is missing"})
        )
        wizard.action_confirm()
        self.assertEqual(self.submission.state, "sent_back")
        self.assertEqual(self.submission.sent_back_comment, "Tuesday is missing")

    def test_employees_see_only_their_own(self):
        visible = (
            self.env["adv.timesheet.submission"]
            .with_user(self.emp_user)
            .search([("period_id", "=", self.period.id)])
        )
        self.assertEqual(visible, self.submission)
        team = (
            self.env["adv.timesheet.submission"]
            .with_user(self.boss_user)
            .search([("period_id", "=", self.period.id)])
        )
        self.assertEqual(
            team, self.submission | self.submission2 | team.filtered(lambda s: s.employee_id == self.boss)
        )

    def test_reminders_idempotent_and_escalation(self):
        deadline = self.period.submission_deadline
        day = deadline + relativedelta(days=1)
        late = self.submission | self.submission2
        self.assertTrue(self.submission.is_late)
        sent = late._send_reminders(day)
        self.assertEqual(sent, late)
        self.assertEqual(late._send_reminders(day), late.browse(), "never twice the same day")
        self.assertEqual(self.submission.reminder_count, 1)
        self.assertFalse(self.submission.escalated_on, "one day late: no escalation yet")
        later = deadline + relativedelta(days=self.company.adv_reminder_escalation_days)
        late._send_reminders(later)
        self.assertEqual(self.submission.reminder_count, 2)
        self.assertEqual(self.submission.escalated_on, later)
        messages = self.submission.message_ids.filtered(lambda m: self.boss_user.partner_id in m.partner_ids)
        self.assertEqual(len(messages), 1)
        late._send_reminders(later + relativedelta(days=1))
        messages = self.submission.message_ids.filtered(lambda m: self.boss_user.partner_id in m.partner_ids)
        self.assertEqual(len(messages), 1, "the manager is told once")

    def test_reminder_cron_calendar(self):
        deadline = self.period.submission_deadline
        before = deadline - relativedelta(days=self.company.adv_reminder_days_before)
        with freeze_time(before - relativedelta(days=1)):
            self.assertFalse(self.env["adv.timesheet.submission"]._cron_send_reminders() & self.submission)
        with freeze_time(before):
            self.assertIn(self.submission, self.env["adv.timesheet.submission"]._cron_send_reminders())
        with freeze_time(deadline):
            self.assertFalse(self.env["adv.timesheet.submission"]._cron_send_reminders() & self.submission)
        with freeze_time(deadline + relativedelta(days=self.company.adv_reminder_days_after)):
            self.assertIn(self.submission, self.env["adv.timesheet.submission"]._cron_send_reminders())
        self.assertEqual(self.submission.reminder_count, 2)

    def test_managers_reminded_after_validation_deadline(self):
        (self.submission | self.submission2).action_submit()
        day = self.period.validation_deadline + relativedelta(days=1)
        with freeze_time(day):
            self.env["adv.timesheet.submission"]._cron_send_reminders()
            self.env["adv.timesheet.submission"]._cron_send_reminders()
        to_boss = (self.submission | self.submission2).message_ids.filtered(
            lambda m: self.boss_user.partner_id in m.partner_ids
        )
        self.assertEqual(len(to_boss), 1, "one mail a day for the whole team")
        self.assertIn(self.employee2.name, str(to_boss.body))

    def test_manual_reminder_of_late_people(self):
        self.submission2.action_submit()
        self.period.action_remind_late()
        self.assertEqual(self.submission.reminder_count, 1)
        self.assertEqual(self.submission2.reminder_count, 0)
        self.period.action_remind_late()
        self.assertEqual(self.submission.reminder_count, 1)

    def test_late_submitter_report(self):
        self.submission.action_submit()
        self.env.flush_all()
        rows = self.env["adv.late.submitter.report"].search([("employee_id", "=", self.employee.id)])
        self.assertEqual(len(rows), 1)
        self.assertGreater(rows.lateness_days, 0, "submitted after the deadline of last month")
        self.assertEqual(rows.late_count, 1)

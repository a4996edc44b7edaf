from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestBillingPeriod(AdvBillingCommon):
    def test_cron_generates_periods_ahead_once(self):
        self.company.adv_periods_ahead = 2
        Period = self.env["adv.billing.period"]
        with freeze_time("2031-05-14"):
            Period._cron_generate_periods()
            self.assertFalse(Period._cron_generate_periods().filtered(lambda p: p.company_id == self.company))
        periods = Period.search([("company_id", "=", self.company.id), ("date_start", ">=", "2031-05-01")])
        self.assertEqual(periods.mapped("name"), ["2031-07", "2031-06", "2031-05"])
        may = periods.filtered(lambda p: p.name == "2031-05")
        self.assertEqual(may.date_end, date(2031, 5, 31))
        # 31 May 2031 is a Saturday: the last working day is Friday 30; M+1 starts on Monday 2 June.
        self.assertEqual(may.submission_deadline, date(2031, 5, 30))
        self.assertEqual(may.validation_deadline, date(2031, 6, 2))
        self.assertEqual(may.invoicing_deadline, date(2031, 6, 4))
        self.assertEqual(may.close_date, date(2031, 6, 6))
        calendar = self.env["adv.billing.calendar"].search([("period_id", "=", may.id)])
        self.assertEqual(len(calendar), 5)
        # Each event of the Close Calendar is named by its period and its step.
        self.assertEqual(
            calendar.filtered(lambda e: e.step == "invoicing").display_name, "2031-05: Invoicing Deadline"
        )
        events = (
            self.env["adv.billing.calendar"]
            .with_user(self.adv_user)
            .web_search_read([("period_id", "=", may.id)], {"display_name": {}})
        )
        self.assertIn("2031-05: Close", [e["display_name"] for e in events["records"]])

    def test_cron_advances_states(self):
        self.env["adv.billing.period"]._cron_advance_periods()
        self.assertEqual(self.period.state, "invoicing", "last month's validation deadline is past")

    def test_close_freezes(self):
        order = self._make_order()
        self._log(order, 10, self.in_period)
        self.period.action_start_invoicing()
        with self.assertRaises(UserError):
            self.period.with_user(self.adv_user).action_close()
        self.period.with_user(self.adv_manager).action_close()
        self.assertEqual(self.period.state, "closed")
        self.assertEqual(self.period.accrual_ids.filtered(lambda a: a.order_id == order).fae_amount, 1000)
        with self.assertRaises(UserError):
            self.period.write({"invoicing_deadline": self.period.date_end})
        with self.assertRaises(UserError):
            self._board_line(order).write({"state": "deferred"})
        with self.assertRaises(UserError):
            self._build()
        with self.assertRaisesRegex(UserError, "closed"):
            self.env["account.analytic.line"].with_user(self.emp_user).create(
                {
                    "name": "late entry",
                    "project_id": order.tasks_ids[:1].project_id.id,
                    "task_id": order.tasks_ids[:1].id,
                    "employee_id": self.employee.id,
                    "unit_amount": 1,
                    "date": self.in_period,
                }
            )
        self.period.with_user(self.adv_manager).action_reopen()
        self.assertEqual(self.period.state, "invoicing")

    def test_announce_calendar(self):
        self.company.adv_timesheet_collection = True
        self.period.action_start_collecting()
        self.period.action_announce()
        message = self.period.message_ids[:1]
        self.assertIn(self.emp_user.partner_id, message.partner_ids)
        self.assertIn("Invoicing", str(message.body))
        self.assertTrue(self.period.announced_on)

    def test_default_configuration_changes_nothing(self):
        """Collection off: no submission, timesheets stay free, native invoicing untouched."""
        self.period.action_start_collecting()
        self.assertFalse(self.period.submission_ids)
        order = self._make_order()
        timesheet = self._log(order, 4, self.in_period)
        timesheet.with_user(self.emp_user).write({"unit_amount": 5})
        self.assertEqual(timesheet.unit_amount, 5)

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestTimesheetControls(AdvBillingCommon):
    """Validated hours and submission states change only through the submission's buttons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.adv_timesheet_collection = True
        cls.period.action_start_collecting()
        cls.submission = cls.env["adv.timesheet.submission"].search(
            [("period_id", "=", cls.period.id), ("employee_id", "=", cls.employee.id)]
        )
        cls.order = cls._make_order()

    def _submit_and_validate(self):
        self.submission.with_user(self.emp_user).action_submit()
        self.submission.with_user(self.boss_user).action_validate()

    def test_consultant_cannot_validate_own_hours(self):
        timesheet = self._log(self.order, 8, self.in_period, user=self.emp_user)
        Line = self.env["account.analytic.line"].with_user(self.emp_user)
        for context in ({}, {"adv_timesheet_lock": True}, {"adv_submission_flow": True}):
            with self.assertRaisesRegex(AccessError, "Validated \\(ADV\\)"):
                timesheet.with_user(self.emp_user).with_context(**context).write({"adv_validated": True})
            with self.assertRaisesRegex(AccessError, "Validated \\(ADV\\)"):
                Line.with_context(**context).create(
                    {
                        "name": "Self-validated",
                        "project_id": timesheet.project_id.id,
                        "task_id": timesheet.task_id.id,
                        "employee_id": self.employee.id,
                        "unit_amount": 2,
                        "date": self.in_period,
                        "adv_validated": True,
                    }
                )
        self.assertFalse(timesheet.adv_validated)
        # The board keeps the hours out until the manager validates them.
        self._build()
        self.assertEqual(
            self._board_line(self.order).blocker_type_ids.mapped("code"), ["timesheet_not_validated"]
        )

    def test_validated_lines_stay_locked_whatever_the_context(self):
        timesheet = self._log(self.order, 8, self.in_period)
        self._submit_and_validate()
        self.assertTrue(timesheet.adv_validated)
        for context in ({}, {"adv_timesheet_lock": True}):
            with self.assertRaisesRegex(UserError, "validated monthly timesheet"):
                timesheet.with_user(self.emp_user).with_context(**context).write({"unit_amount": 12})
            with self.assertRaisesRegex(AccessError, "Validated \\(ADV\\)"):
                timesheet.with_user(self.emp_user).with_context(**context).write({"adv_validated": False})
        self.assertEqual(timesheet.unit_amount, 8)

    def test_submission_state_only_by_buttons(self):
        self.submission.with_user(self.emp_user).action_submit()
        cases = [
            (self.emp_user, {"state": "validated"}),
            (self.emp_user, {"validated_on": "2020-01-01 00:00:00"}),
            (self.emp_user, {"submitted_on": False}),
            (self.emp_user, {"manager_user_id": self.emp_user.id}),
            (self.emp_user, {"employee_id": self.employee2.id}),
            (self.boss_user, {"state": "validated", "validated_by_id": self.boss_user.id}),
            (self.adv_user, {"state": "draft"}),
            (self.adv_manager, {"state": "validated"}),
        ]
        for user, vals in cases:
            for context in ({}, {"adv_submission_flow": True}):
                with self.subTest(user=user.login, vals=vals, context=context):
                    with self.assertRaises(AccessError):
                        self.submission.with_user(user).with_context(**context).write(vals)
        self.assertEqual(self.submission.state, "submitted")
        self.assertEqual(self.submission.manager_user_id, self.boss_user)
        with self.assertRaises(AccessError):
            self.env["adv.timesheet.submission"].with_user(self.adv_user).create(
                {"period_id": self.period.id, "employee_id": self.boss.id, "state": "validated"}
            )

    def test_reviewers_and_reminders(self):
        # An ADV User with their own monthly timesheet does not validate it.
        self.env["hr.employee"].create(
            {"name": "Alice ADV", "user_id": self.adv_user.id, "parent_id": self.boss.id}
        )
        self.period.action_generate_submissions()
        own = self.period.submission_ids.filtered(lambda s: s.user_id == self.adv_user)
        own.with_user(self.adv_user).action_submit()
        with self.assertRaisesRegex(AccessError, "own timesheet"):
            own.with_user(self.adv_user).action_validate()
        own.with_user(self.boss_user).action_validate()
        self.assertEqual(own.state, "validated")
        # A colleague is neither the manager nor the ADV team.
        self.submission.with_user(self.emp_user).action_submit()
        with self.assertRaises(AccessError):
            self.submission.with_user(self.emp2_user).action_validate()
        with self.assertRaises(AccessError):
            self.submission.with_user(self.emp2_user)._send_back("No")
        with self.assertRaises(AccessError):
            self.submission.with_user(self.emp_user).action_remind()
        with self.assertRaises(AccessError):
            self.period.with_user(self.emp_user).action_remind_late()

    def test_send_back_is_the_way_to_correct_validated_hours(self):
        """Consultant's path: validated hours locked; the ADV Manager sends the month back; the consultant
        corrects and resubmits; the manager validates again; the board invoices the corrected hours."""
        timesheet = self._log(self.order, 8, self.in_period, user=self.emp_user)
        self._submit_and_validate()
        self._build()
        self.assertEqual(self._board_line(self.order).state, "ready")
        with self.assertRaisesRegex(UserError, "send the timesheet back"):
            timesheet.with_user(self.emp_user).write({"unit_amount": 6})

        action = self.submission.with_user(self.adv_manager).action_send_back()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.adv_manager).with_context(**action["context"])
        )
        wizard_form.comment = "The 10th was on another project"
        wizard_form.save().action_confirm()
        self.assertEqual(self.submission.state, "sent_back")
        self.assertFalse(timesheet.adv_validated)

        timesheet.with_user(self.emp_user).write({"unit_amount": 6})
        extra = self._log(self.order, 1, self.in_period, user=self.emp_user)
        self._build()
        self.assertEqual(
            self._board_line(self.order).blocker_type_ids.mapped("code"),
            ["timesheet_not_validated"],
            "corrected hours wait for the manager again",
        )
        self.submission.with_user(self.emp_user).action_submit()
        self.submission.with_user(self.boss_user).action_validate()
        self.assertTrue((timesheet | extra).mapped("adv_validated") == [True, True])
        self._build()
        line = self._board_line(self.order)
        self.assertEqual(line.state, "ready")
        self.assertEqual(line.amount_to_invoice, 700, "7 corrected hours at 100")

    def test_send_back_refused_in_closed_period(self):
        self._log(self.order, 8, self.in_period)
        self._submit_and_validate()
        self.period.action_start_invoicing()
        self.period.with_user(self.adv_manager).action_close()
        with self.assertRaisesRegex(UserError, "reopen"):
            self.submission.with_user(self.adv_manager)._send_back("Too late")
        self.period.with_user(self.adv_manager).action_reopen()
        self.submission.with_user(self.adv_manager)._send_back("Wrong task")
        self.assertEqual(self.submission.state, "sent_back")

    def test_sendback_wizard_lines_are_rechecked(self):
        """The wizard's submissions are what the client sends: the reviewer's rights are checked on them."""
        self.submission.with_user(self.emp_user).action_submit()
        wizard = (
            self.env["adv.submission.sendback.wizard"]
            .with_user(self.emp_user)
            .create({"submission_ids": [Command.set(self.submission.ids)], "comment": "Redo"})
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(self.submission.state, "submitted")

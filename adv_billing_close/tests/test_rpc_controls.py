from odoo.tests import tagged

from odoo.addons.adv_order_control.tests.common import AdvRpcCase

from .common import AdvBillingCommon

OLD_KEYS = {"adv_timesheet_lock": True, "adv_submission_flow": True, "adv_period_closing": True}


@tagged("post_install", "-at_install")
class TestBillingRpcControls(AdvRpcCase, AdvBillingCommon):
    """The refusals over Odoo's external API, as the refused user, with and without the old context keys."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.adv_timesheet_collection = True
        cls.period.action_start_collecting()
        cls.submission = cls.env["adv.timesheet.submission"].search(
            [("period_id", "=", cls.period.id), ("employee_id", "=", cls.employee.id)]
        )
        cls.order = cls._make_order()
        cls.timesheet = cls._log(cls.order, 8, cls.in_period, user=cls.emp_user)

    def test_consultant_cannot_validate_own_hours(self):
        for context in ({}, OLD_KEYS):
            with self.subTest(context=context):
                self.assertRpcRefused(
                    self.emp_user,
                    "account.analytic.line",
                    "write",
                    self.timesheet.ids,
                    {"adv_validated": True},
                    error="Validated (ADV)",
                    context=context,
                )
                self.assertRpcRefused(
                    self.emp_user,
                    "account.analytic.line",
                    "create",
                    [
                        {
                            "name": "Self-validated",
                            "project_id": self.timesheet.project_id.id,
                            "task_id": self.timesheet.task_id.id,
                            "employee_id": self.employee.id,
                            "unit_amount": 3,
                            "date": str(self.in_period),
                            "adv_validated": True,
                        }
                    ],
                    error="Validated (ADV)",
                    context=context,
                )
        self.assertFalse(self.timesheet.adv_validated)

    def test_validated_hours_locked_over_rpc(self):
        self.submission.with_user(self.emp_user).action_submit()
        self.submission.with_user(self.boss_user).action_validate()
        for context in ({}, OLD_KEYS):
            with self.subTest(context=context):
                self.assertRpcRefused(
                    self.emp_user,
                    "account.analytic.line",
                    "write",
                    self.timesheet.ids,
                    {"unit_amount": 12},
                    error="validated monthly timesheet",
                    context=context,
                )
        self.timesheet.invalidate_recordset()
        self.assertEqual(self.timesheet.unit_amount, 8)

    def test_submission_state_only_by_buttons(self):
        for context in ({}, OLD_KEYS):
            with self.subTest(context=context):
                self.assertRpcRefused(
                    self.emp_user,
                    "adv.timesheet.submission",
                    "write",
                    self.submission.ids,
                    {"state": "validated", "validated_by_id": self.emp_user.id},
                    error="You cannot set",
                    context=context,
                )
                self.assertRpcRefused(
                    self.emp_user,
                    "adv.timesheet.submission",
                    "write",
                    self.submission.ids,
                    {"manager_user_id": self.emp_user.id},
                    error="You cannot set",
                    context=context,
                )
        self.submission.with_user(self.emp_user).action_submit()
        self.assertRpcRefused(
            self.emp_user,
            "adv.timesheet.submission",
            "action_validate",
            self.submission.ids,
            error="own timesheet",
            context=OLD_KEYS,
        )
        self.submission.invalidate_recordset()
        self.assertEqual(self.submission.state, "submitted")
        self.assertFalse(self.timesheet.adv_validated)

    def test_adv_user_cannot_reopen_closed_period(self):
        self.period.action_start_invoicing()
        self.period.with_user(self.adv_manager).action_close()
        for context in ({}, OLD_KEYS):
            with self.subTest(context=context):
                self.assertRpcRefused(
                    self.adv_user,
                    "adv.billing.period",
                    "write",
                    self.period.ids,
                    {"state": "invoicing"},
                    error="You cannot set",
                    context=context,
                )
                self.assertRpcRefused(
                    self.adv_user,
                    "adv.billing.period",
                    "action_reopen",
                    self.period.ids,
                    error="Only an ADV Manager",
                    context=context,
                )
        self.period.invalidate_recordset()
        self.assertEqual(self.period.state, "closed")

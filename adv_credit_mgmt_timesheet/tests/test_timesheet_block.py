from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTimesheetBlock(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Blocked Services", "is_company": True})
        product = cls.env["product.product"].create(
            {
                "name": "Consulting day",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "service_tracking": "task_in_project",
                "list_price": 800.0,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.customer.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        cls.order.action_confirm()
        cls.task = cls.order.order_line.task_id
        cls.employee = cls.env["hr.employee"].create({"name": "Consultant"})

    def _log(self):
        return self.env["account.analytic.line"].create(
            {
                "name": "Work",
                "project_id": self.task.project_id.id,
                "task_id": self.task.id,
                "employee_id": self.employee.id,
                "unit_amount": 2,
            }
        )

    def test_blocked_customer_refuses_timesheets_only_when_configured(self):
        self.customer.adv_credit_status = "blocked"
        self.assertTrue(self._log(), "the block is off by default")
        self.env.company.adv_credit_work_block = True
        with self.assertRaisesRegex(ValidationError, "Credit Manager"):
            self._log()
        self.customer.adv_credit_status = "open"
        self.assertEqual(self._log().so_line.order_id, self.order)

    def test_credit_hold_refuses_timesheets(self):
        self.env.company.adv_credit_work_block = True
        self.order.adv_credit_hold = True
        with self.assertRaises(ValidationError):
            self._log()

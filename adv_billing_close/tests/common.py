from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class AdvBillingCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        # Independent of the demo data: collection off, a period of its own three months back.
        cls.company.write({"adv_unbilled_escalation_days": 3, "adv_timesheet_collection": False})
        # adv_order_control's own demo document types would make every test order provisional.
        cls.env["adv.document.type"].search([]).active = False
        cls.uom_hour = cls.env.ref("uom.product_uom_hour")
        groups_adv_user = (
            "adv_order_control.group_adv_user,sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice,hr_timesheet.group_hr_timesheet_user"
        )
        cls.adv_user = new_test_user(cls.env, "adv_billing_user", groups=groups_adv_user, name="Alice ADV")
        cls.adv_manager = new_test_user(
            cls.env,
            "adv_billing_manager",
            groups="adv_order_control.group_adv_manager",
            name="Marc ADV Manager",
        )
        cls.finance_user = new_test_user(
            cls.env, "adv_billing_finance", groups="account.group_account_invoice"
        )
        cls.salesman = new_test_user(
            cls.env, "adv_billing_sales", groups="sales_team.group_sale_salesman", name="Sam"
        )
        cls.emp_user = new_test_user(
            cls.env, "adv_billing_emp", groups="hr_timesheet.group_hr_timesheet_user", name="Emma Consultant"
        )
        cls.emp2_user = new_test_user(
            cls.env, "adv_billing_emp2", groups="hr_timesheet.group_hr_timesheet_user", name="Eric Consultant"
        )
        cls.boss_user = new_test_user(
            cls.env, "adv_billing_boss", groups="hr_timesheet.group_hr_timesheet_user", name="Bob Manager"
        )
        Employee = cls.env["hr.employee"]
        cls.boss = Employee.create({"name": "Bob Manager", "user_id": cls.boss_user.id})
        cls.employee = Employee.create(
            {"name": "Emma Consultant", "user_id": cls.emp_user.id, "parent_id": cls.boss.id}
        )
        cls.employee2 = Employee.create(
            {"name": "Eric Consultant", "user_id": cls.emp2_user.id, "parent_id": cls.boss.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Acme Industries", "is_company": True})
        cls.customer2 = cls.env["res.partner"].create({"name": "Globex", "is_company": True})
        cls.product_ts = cls.env["product.product"].create(
            {
                "name": "Consulting hour",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "service_tracking": "task_in_project",
                "list_price": 100.0,
                "uom_id": cls.uom_hour.id,
                "uom_po_id": cls.uom_hour.id,
            }
        )
        cls.product_fixed = cls.env["product.product"].create(
            {"name": "Set-up fee", "type": "service", "invoice_policy": "order", "list_price": 1200.0}
        )
        month_start = fields.Date.today().replace(day=1) - relativedelta(months=3)
        cls.period = cls.env["adv.billing.period"].create(
            cls.env["adv.billing.period"]._period_values(cls.company, month_start)
        )
        cls.in_period = month_start + relativedelta(days=9)
        cls.after_period = cls.period.date_end + relativedelta(days=3)

    @classmethod
    def _make_order(cls, partner=None, hours_qty=20, fixed=False, user=None):
        lines = [Command.create({"product_id": cls.product_ts.id, "product_uom_qty": hours_qty})]
        if fixed:
            lines.append(Command.create({"product_id": cls.product_fixed.id, "product_uom_qty": 1}))
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": (user or cls.salesman).id,
                "order_line": lines,
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _log(cls, order, hours, day, employee=None, user=None):
        task = order.tasks_ids[:1]
        env = cls.env(user=user) if user else cls.env
        return env["account.analytic.line"].create(
            {
                "name": "Work",
                "project_id": task.project_id.id,
                "task_id": task.id,
                "employee_id": (employee or cls.employee).id,
                "unit_amount": hours,
                "date": day,
            }
        )

    def _board_line(self, order, period=None):
        return self.env["adv.preinvoice"].search(
            [("order_id", "=", order.id), ("period_id", "=", (period or self.period).id)]
        )

    def _build(self, period=None):
        self.env["adv.preinvoice"]._build_board(period or self.period)

    @classmethod
    def _enable_accrual_entries(cls):
        """Post FAE/PCA entries at close, on accounts of the test company."""
        Account = cls.env["account.account"]
        cls.company.write(
            {
                "adv_accrual_entry": True,
                "adv_accrual_journal_id": cls.env["account.journal"]
                .search([("type", "=", "general"), ("company_id", "=", cls.company.id)], limit=1)
                .id,
                "adv_fae_account_id": Account.search([("account_type", "=", "asset_current")], limit=1).id,
                "adv_pca_account_id": Account.search(
                    [("account_type", "=", "liability_current")], limit=1
                ).id,
                "adv_accrual_income_account_id": Account.search(
                    [("account_type", "=", "income")], limit=1
                ).id,
            }
        )

    # Milestones and customer POs (invoicing gate tests).
    @classmethod
    def _milestone_order(cls, lots=("Lot 1",), price=5000.0, user=None):
        """A confirmed order invoiced by milestones: one milestone per lot, equal shares."""
        product = cls.env["product.product"].create(
            {
                "name": "Milestone delivery",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "milestones",
                "service_tracking": "task_in_project",
                "list_price": price,
            }
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": (user or cls.salesman).id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        milestones = cls.env["project.milestone"].create(
            [
                {
                    "name": lot,
                    "project_id": order.project_ids[:1].id,
                    "sale_line_id": order.order_line.id,
                    "quantity_percentage": 1.0 / len(lots),
                }
                for lot in lots
            ]
        )
        return order, milestones

    @classmethod
    def _acceptance_type(cls):
        return cls.env["adv.document.type"].create(
            {"name": "PV de recette", "code": "ADV_TEST_PVR", "scope": "order", "requirement": "info"}
        )

    def _invoice_wizard(self, orders, user, **values):
        """Odoo's own Create Invoice wizard, created as ``user`` from the orders as the web client does
        (``Form`` cannot load its view: sale_timesheet's date-range options use a JS literal, ``true``)."""
        context = {"active_model": "sale.order", "active_ids": orders.ids, "active_id": orders[:1].id}
        return self.env["sale.advance.payment.inv"].with_user(user).with_context(**context).create(values)

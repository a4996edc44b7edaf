from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

SUITE = ("adv_order_control", "adv_credit_mgmt", "adv_billing_close", "adv_kpi", "adv_einvoicing")
# Every employee submits a monthly timesheet (CRA) per billing period: these models are theirs too.
EMPLOYEE_MODELS = {
    "adv.billing.period",
    "adv.billing.calendar",
    "adv.timesheet.submission",
    "adv.blocker.type",
}


@tagged("post_install", "-at_install", "adv_foundation")
class TestFoundation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.adv_user = new_test_user(cls.env, "adv_found_user", groups="adv_order_control.group_adv_user")
        cls.adv_manager = new_test_user(
            cls.env, "adv_found_manager", groups="adv_order_control.group_adv_manager"
        )
        cls.employee = new_test_user(cls.env, "adv_found_employee", groups="base.group_user")

    def test_suite_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", SUITE)])
        self.assertEqual(sorted(modules.mapped("name")), sorted(SUITE))
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_group_hierarchy(self):
        user_group = self.env.ref("adv_order_control.group_adv_user")
        manager_group = self.env.ref("adv_order_control.group_adv_manager")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertTrue(self.adv_manager.has_group("adv_order_control.group_adv_user"))
        self.assertFalse(self.adv_user.has_group("adv_order_control.group_adv_manager"))
        self.assertFalse(self.employee.has_group("adv_order_control.group_adv_user"))

    def _adv_models(self):
        """Regular models created (not merely extended) by the suite's modules."""
        data = self.env["ir.model.data"].search([("model", "=", "ir.model"), ("module", "=like", "adv_%")])
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        return [
            m.model
            for m in models
            if m.model.startswith("adv.")
            and m.model in self.env
            and not self.env[m.model]._transient
            and not self.env[m.model]._abstract
        ]

    def test_user_without_adv_group_is_refused(self):
        models = [m for m in self._adv_models() if m not in EMPLOYEE_MODELS]
        self.assertTrue(models, "the suite defines ADV models")
        for model in models:
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.employee).check_access("read")

    def test_adv_user_reads_adv_models(self):
        for model in self._adv_models():
            with self.subTest(model=model):
                self.env[model].with_user(self.adv_manager).check_access("read")

    def test_adv_menu_visible_to_adv_users_only(self):
        root = self.env.ref("adv_order_control.menu_adv_root")
        menus = self.env["ir.ui.menu"]
        self.assertIn(root, menus.with_user(self.adv_user).search([("id", "=", root.id)]))
        self.assertFalse(menus.with_user(self.employee).search([("id", "=", root.id)]))
        config = self.env.ref("adv_order_control.menu_adv_configuration")
        self.assertFalse(menus.with_user(self.adv_user).search([("id", "=", config.id)]))
        self.assertTrue(menus.with_user(self.adv_manager).search([("id", "=", config.id)]))

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestConfirmation(AdvOrderControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require(cls.po_type)
        cls.company.adv_responsible_id = cls.adv_manager

    def _confirm_interactive(self, order, user):
        return order.with_user(user).with_context(adv_interactive=True).action_confirm()

    def _wizard(self, action, user):
        return self.env["adv.confirm.wizard"].with_user(user).browse(action["res_id"])

    def test_wizard_lists_missing_documents(self):
        order = self._order()
        action = self._confirm_interactive(order, self.adv_user)
        self.assertEqual(action["res_model"], "adv.confirm.wizard")
        self.assertEqual(order.state, "draft")
        wizard = self._wizard(action, self.adv_user)
        self.assertTrue(wizard.has_provisional)
        self.assertFalse(wizard.has_blocks)
        self.assertIn(self.po_type.name, wizard.line_ids.message)

    def test_provisional_confirmation_needs_reason(self):
        order = self._order()
        wizard = self._wizard(self._confirm_interactive(order, self.adv_user), self.adv_user)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(order.state, "draft", "nothing half-written")
        form = Form(wizard)
        form.reason = "PO announced for Friday"
        form.save().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "provisional")
        self.assertFalse(order.adv_commissionable)
        self.assertEqual(
            order.adv_regularisation_date,
            fields.Date.context_today(order) + timedelta(days=self.company.adv_regularisation_days),
        )
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertTrue(activity, "the salesperson follows the missing documents up")
        self.assertIn(
            "PO announced for Friday",
            order.message_ids.mapped("body")[0] + "".join(order.message_ids.mapped("body")),
        )

    def test_salesperson_cannot_confirm_provisionally(self):
        order = self._order()
        wizard = self._wizard(self._confirm_interactive(order, self.salesman), self.salesman)
        self.assertTrue(wizard.has_blocks)
        self.assertIn("ADV", wizard.blocked_message)
        wizard.reason = "please"
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_strict_customer_needs_manager_waiver(self):
        self.customer.adv_strict_documents = "strict"
        order = self._order()
        wizard = self._wizard(self._confirm_interactive(order, self.adv_user), self.adv_user)
        self.assertTrue(wizard.has_blocks)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        wizard = self._wizard(self._confirm_interactive(order, self.adv_manager), self.adv_manager)
        self.assertFalse(wizard.has_blocks)
        wizard.reason = "Framework agreement signed, PO follows"
        wizard.action_confirm()
        self.assertEqual(order.adv_contract_status, "waived")
        self.assertTrue(order.adv_commissionable)

    def test_strict_mode_from_company(self):
        self.company.adv_strict_documents = True
        order = self._order()
        self.assertTrue(
            self._wizard(self._confirm_interactive(order, self.adv_user), self.adv_user).has_blocks
        )
        self.customer.adv_strict_documents = "flexible"
        self.assertFalse(
            self._wizard(self._confirm_interactive(order, self.adv_user), self.adv_user).has_blocks
        )

    def test_unattended_confirmation_is_provisional(self):
        """An RPC or automated call never gets a wizard: the order is confirmed provisionally."""
        order = self._order()
        complete = self._order()
        complete.adv_checklist_ids.action_original_seen()
        self.assertIs((order | complete).with_user(self.adv_user).action_confirm(), True)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "provisional")
        self.assertEqual(complete.adv_contract_status, "complete")
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.adv_manager))

    def test_portal_acceptance_even_strict(self):
        self.customer.adv_strict_documents = "strict"
        portal = self.env["res.users"].create(
            {
                "name": "Portal Durand",
                "login": "portal_durand",
                "partner_id": self.contact.id,
                "groups_id": [fields.Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        order = self._order()
        # The portal also mails the confirmation, which this test database has no server for.
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            order.with_user(portal).sudo()._validate_order()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "provisional")

    def test_last_document_turns_order_complete(self):
        order = self._order()
        order.with_user(self.adv_user).action_confirm()
        self.assertEqual(order.adv_contract_status, "provisional")
        order.adv_checklist_ids.with_user(self.adv_user).action_original_seen()
        order.adv_checklist_ids.with_user(self.adv_user).action_validate()
        self.assertEqual(order.adv_contract_status, "complete")
        self.assertTrue(order.adv_commissionable)
        self.assertIn("complete", order.message_ids[0].body)
        self.assertFalse(order.activity_ids.filtered(lambda a: a.user_id == self.salesman))

    def test_escalation_once_per_level(self):
        order = self._order()
        with freeze_time("2026-03-02"):
            order.action_confirm()
        self.assertEqual(str(order.adv_regularisation_date), "2026-03-17")
        with freeze_time("2026-03-18"):
            order._cron_adv_escalate()
            order._cron_adv_escalate()
        self.assertEqual(order.adv_escalation_level, 1)
        leader = order.activity_ids.filtered(lambda a: a.user_id == self.adv_user)
        self.assertEqual(len(leader), 1, "the team leader is alerted once")
        with freeze_time("2026-03-26"):
            order._cron_adv_escalate()
            order._cron_adv_escalate()
        self.assertEqual(order.adv_escalation_level, 2)
        manager = order.activity_ids.filtered(
            lambda a: a.user_id == self.adv_manager
            and a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
        )
        self.assertEqual(len(manager), 1, "the ADV Manager is alerted once")

    def test_conformity_block_needs_manager(self):
        check = (
            self.env["adv.conformity.check"]
            .with_context(active_test=False)
            .search([("code", "=", "discount_above"), ("company_id", "=", self.company.id)])
        )
        check.write({"active": True, "severity": "block", "threshold": 10.0})
        self.po_type.active = False
        order = self._order()
        order.order_line.discount = 25.0
        wizard = self._wizard(self._confirm_interactive(order, self.adv_user), self.adv_user)
        self.assertTrue(wizard.has_blocks)
        self.assertIn("ADV Manager", wizard.blocked_message)
        # Without the interactive context an RPC caller is refused, not shown a wizard.
        with self.assertRaises(UserError):
            order.with_user(self.adv_user).action_confirm()
        self.assertEqual(order.state, "draft")
        wizard = self._wizard(self._confirm_interactive(order, self.adv_manager), self.adv_manager)
        wizard.reason = "Launch discount agreed by the sales director"
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "complete")
        self.assertTrue(any("Launch discount" in body for body in order.message_ids.mapped("body")))

    def test_conformity_warning_is_acknowledged(self):
        check = (
            self.env["adv.conformity.check"]
            .with_context(active_test=False)
            .search([("code", "=", "customer_ref_missing"), ("company_id", "=", self.company.id)])
        )
        check.active = True
        self.po_type.active = False
        self.customer.adv_requires_customer_ref = True
        order = self._order()
        wizard = self._wizard(self._confirm_interactive(order, self.adv_user), self.adv_user)
        self.assertFalse(wizard.has_blocks)
        self.assertIn("Customer Reference", wizard.line_ids.message)
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")
        order2 = self._order(client_order_ref="PO-778")
        self.assertIs(
            order2.with_user(self.adv_user).with_context(adv_interactive=True).action_confirm(), True
        )

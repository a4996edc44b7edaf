"""The order controls, tried as the people they control, through the paths they take: the buttons and
wizards as that user (``with_user``, ``Form``) and Odoo's external API (XML-RPC), sending the context keys
that used to lift the checks."""

from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AdvOrderControlCommon, AdvRpcCase

# A 1x1 PNG: the customer's signature on the portal.
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
# The context keys that lifted the checks before: they must lift nothing now.
OLD_KEYS = {"adv_checks_done": True, "adv_customer_confirmation": True, "send_email": True}


class EntryPointsCommon(AdvOrderControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.adv_responsible_id = cls.adv_manager
        checks = cls.env["adv.conformity.check"].with_context(active_test=False)
        cls.env["adv.conformity.check"].sudo()._ensure_company_checks(cls.company)
        cls.discount_check = checks.search(
            [("code", "=", "discount_above"), ("company_id", "=", cls.company.id)]
        )
        cls.ref_check = checks.search(
            [("code", "=", "customer_ref_missing"), ("company_id", "=", cls.company.id)]
        )

    @classmethod
    def _block_discounts_above(cls, threshold=10.0):
        cls.discount_check.write({"active": True, "severity": "block", "threshold": threshold})

    def _wizard(self, order, user):
        action = order.with_user(user).with_context(adv_interactive=True).action_confirm()
        self.assertEqual(action["res_model"], "adv.confirm.wizard")
        return self.env["adv.confirm.wizard"].with_user(user).browse(action["res_id"])


@tagged("post_install", "-at_install")
class TestDecisionFields(EntryPointsCommon):
    """sale.order's decision fields: written by their flows only (the deadline also by the ADV team)."""

    def test_salesperson_cannot_write_decision_fields(self):
        order = self._order()
        order.sudo().adv_escalation_level = 2  # escalated: resetting it would silence the follow-up
        as_salesman = order.with_user(self.salesman)
        for vals in (
            {"adv_contract_status": "complete"},
            {"adv_provisional_reason": "none"},
            {"adv_escalation_level": 0},
            {"adv_regularisation_date": "2099-12-31"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_salesman.write(vals)
        self.assertFalse(order.adv_contract_status)
        # The salesperson keeps editing the rest of the order.
        as_salesman.write({"client_order_ref": "PO-1"})
        self.assertEqual(order.client_order_ref, "PO-1")

    def test_salesperson_cannot_create_with_decision_fields(self):
        SaleOrder = self.env["sale.order"].with_user(self.salesman)
        for vals in ({"adv_contract_status": "waived"}, {"adv_regularisation_date": "2099-12-31"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                SaleOrder.create({"partner_id": self.customer.id, **vals})
        # Empty values are what the web client sends for the fields it shows: they pass.
        order = SaleOrder.create({"partner_id": self.customer.id, "adv_contract_status": False})
        self.assertFalse(order.adv_contract_status)

    def test_adv_user_moves_the_deadline_not_the_status(self):
        self._require(self.po_type)
        order = self._order()
        order.with_user(self.adv_user).action_confirm()
        self.assertEqual(order.adv_contract_status, "provisional")
        order.with_user(self.adv_user).adv_regularisation_date = date(2099, 1, 31)
        self.assertEqual(order.adv_regularisation_date, date(2099, 1, 31))
        with self.assertRaises(AccessError):
            order.with_user(self.adv_user).adv_contract_status = "complete"
        with self.assertRaises(AccessError):
            order.with_user(self.adv_manager).adv_escalation_level = 2

    def test_flows_still_set_them(self):
        """Provisional confirmation, regularisation and escalation, each run by its own user."""
        self._require(self.po_type)
        order = self._order()
        late = self._order()
        order.with_user(self.adv_user).action_confirm()
        late.with_user(self.adv_user).action_confirm()
        self.assertEqual(order.adv_contract_status, "provisional")
        self.assertTrue(order.adv_provisional_reason)
        self.assertTrue(order.adv_regularisation_date)
        # The salesperson uploads the PO: the order regularises by itself.
        attachment = self.env["ir.attachment"].create({"name": "po.pdf", "raw": b"%PDF-1.4 po"})
        order.adv_checklist_ids.with_user(self.salesman).attachment_ids = [Command.link(attachment.id)]
        self.assertEqual(order.adv_contract_status, "complete")
        # The escalation job, run by a plain ADV user, raises the level.
        late.sudo().adv_regularisation_date = fields.Date.subtract(fields.Date.today(), days=30)
        self.env["sale.order"].with_user(self.adv_user)._cron_adv_escalate()
        self.assertEqual(late.adv_escalation_level, 2)

    def test_customer_controls_are_the_adv_teams(self):
        """A salesperson cannot loosen the controls their own customer is subject to."""
        self.customer.adv_requires_customer_ref = True
        as_salesman = self.customer.with_user(self.salesman)
        for vals in ({"adv_strict_documents": "flexible"}, {"adv_requires_customer_ref": False}):
            with self.subTest(vals=vals), self.assertRaisesText(AccessError, "You cannot set"):
                as_salesman.write(vals)
        with self.assertRaisesText(AccessError, "You cannot set"):
            self.customer.with_user(self.adv_user).adv_strict_documents = "flexible"
        # Users who create and edit contacts (a right of their own, which most users have): salespeople do
        # not create loose customers either; the ADV team sets the controls.
        for user in self.salesman | self.adv_user | self.adv_manager:
            user.groups_id |= self.env.ref("base.group_partner_manager")
        with self.assertRaisesText(AccessError, "You cannot set"):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Loose SA", "is_company": True, "adv_strict_documents": "flexible"}
            )
        # A customer created with the defaults the form sends.
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create({"name": "New SA", "is_company": True, "adv_strict_documents": "company"})
        )
        partner.with_user(self.adv_user).adv_requires_customer_ref = True
        partner.with_user(self.adv_manager).adv_strict_documents = "strict"
        self.assertTrue(partner._adv_is_strict(self.company))

    def test_checklist_cannot_be_emptied(self):
        """Removing the documents from an order's checklist would lift the invoicing gate."""
        self._require(self.po_type, "invoicing")
        order = self._order()
        order.action_confirm()
        doc = order.adv_checklist_ids
        for commands in ([Command.clear()], [Command.set([])], [Command.unlink(doc.id)]):
            with self.subTest(commands=commands), self.assertRaises(AccessError):
                order.with_user(self.salesman).write({"adv_checklist_ids": commands})
        self.assertEqual(order.adv_checklist_ids, doc)
        # What the order form sends when the salesperson attaches the file passes.
        attachment = self.env["ir.attachment"].create({"name": "po.pdf", "raw": b"%PDF-1.4 po"})
        order.with_user(self.salesman).write(
            {"adv_checklist_ids": [Command.update(doc.id, {"attachment_ids": [Command.link(attachment.id)]})]}
        )
        self.assertEqual(doc.state, "received")
        self.assertFalse(order._adv_invoicing_blockers()[order.id])

    def test_salesperson_cannot_confirm_provisionally_without_wizard(self):
        """What the wizard refuses a salesperson, a call without it refuses too."""
        self._require(self.po_type)
        order = self._order()
        with self.assertRaisesText(UserError, "Only the ADV team"):
            order.with_user(self.salesman).with_context(**OLD_KEYS).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.adv_contract_status)


@tagged("post_install", "-at_install")
class TestConfirmWizardDecides(EntryPointsCommon):
    """The wizard decides at confirmation from the orders as they are, not from its lines."""

    def test_block_appearing_after_opening_is_refused(self):
        self.ref_check.active = True
        self.customer.adv_requires_customer_ref = True
        order = self._order()
        wizard = self._wizard(order, self.salesman)
        self.assertFalse(wizard.has_blocks, "a warning only: the salesperson may confirm")
        # Meanwhile, a 50 % discount goes on the order and the company blocks discounts above 10 %.
        order.order_line.discount = 50.0
        self._block_discounts_above()
        form = Form(wizard)
        form.reason = "customer in a hurry"
        with self.assertRaisesText(UserError, "ADV Manager"):
            form.save().action_confirm()
        self.assertEqual(order.state, "draft")

    def test_lines_are_read_only_to_salespeople(self):
        self._block_discounts_above()
        order = self._order()
        order.order_line.discount = 50.0
        wizard = self._wizard(order, self.salesman)
        self.assertTrue(wizard.has_blocks)
        with self.assertRaises(AccessError):
            wizard.line_ids.write({"severity": "warning", "can_override": True})
        with self.assertRaises(AccessError):
            wizard.write({"line_ids": [Command.clear()]})
        wizard.reason = "please"
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_manager_override_through_form_is_logged(self):
        self._block_discounts_above()
        order = self._order()
        order.order_line.discount = 50.0
        wizard = self._wizard(order, self.adv_manager)
        self.assertFalse(wizard.has_blocks)
        form = Form(wizard)
        form.reason = "Launch discount agreed by the sales director"
        form.save().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "complete")
        log = order.message_ids.filtered(lambda m: "Launch discount agreed" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("Confirmed past a check by", log.body)
        self.assertIn("a discount exceeds", log.body)
        self.assertEqual(log.author_id, self.adv_manager.partner_id)


@tagged("post_install", "-at_install")
class TestCustomerConfirmation(EntryPointsCommon):
    """Strict document control holds for every caller but the customer, who confirms provisionally."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require(cls.po_type)
        cls.customer.adv_strict_documents = "strict"

    def test_salesperson_and_adv_user_refused_even_with_old_keys(self):
        order = self._order()
        for user in (self.salesman, self.adv_user):
            with self.subTest(user=user.login), self.assertRaisesText(UserError, self.po_type.name):
                order.with_user(user).with_context(**OLD_KEYS).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.adv_contract_status)

    def test_online_payment_confirms_provisionally(self):
        order = self._order()
        provider = self.env["payment.provider"].create(
            {
                "name": "ADV test provider",
                "code": "none",
                "state": "test",
                "payment_method_ids": [Command.set(self.env.ref("payment.payment_method_unknown").ids)],
            }
        )
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "reference": "ADV-TX-1",
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.customer.id,
                "operation": "online_redirect",
                "sale_order_ids": [Command.set(order.ids)],
                "state": "done",
            }
        )
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            confirmed = tx._check_amount_and_confirm_order()
        self.assertEqual(confirmed, order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "provisional")
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.adv_manager))


@tagged("post_install", "-at_install")
class TestOrderControlRpc(AdvRpcCase, EntryPointsCommon):
    """The same refusals over XML-RPC, as an integration or a power user calls Odoo."""

    def test_decision_fields_refused_over_rpc(self):
        order = self._order()
        order.sudo().adv_escalation_level = 2  # escalated: resetting it would silence the follow-up
        for vals in (
            {"adv_contract_status": "complete"},
            {"adv_escalation_level": 0},
            {"adv_provisional_reason": "x"},
            {"adv_regularisation_date": "2099-12-31"},
        ):
            with self.subTest(vals=vals):
                self.assertRpcRefused(
                    self.salesman,
                    "sale.order",
                    "write",
                    [order.id],
                    vals,
                    error="You cannot set",
                    context=OLD_KEYS,
                )
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "create",
            {"partner_id": self.customer.id, "adv_contract_status": "waived"},
            error="You cannot set",
        )
        self.assertRpcRefused(
            self.salesman,
            "res.partner",
            "write",
            [self.customer.id],
            {"adv_strict_documents": "flexible"},
            error="You cannot set",
            context=OLD_KEYS,
        )
        self._require(self.po_type, "invoicing")
        order.action_adv_refresh_checklist()
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "write",
            [order.id],
            {"adv_checklist_ids": [(5, 0, 0)]},
            error="follow the document rules",
            context=OLD_KEYS,
        )
        self.assertTrue(order.adv_checklist_ids)
        self.assertFalse(order.adv_contract_status)

    def test_old_context_keys_do_not_lift_a_block(self):
        self._block_discounts_above()
        order = self._order()
        order.order_line.discount = 50.0
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "action_confirm",
            [order.id],
            error="a discount exceeds",
            context=OLD_KEYS,
        )
        self.assertEqual(order.state, "draft")

    def test_strict_customer_refused_not_provisional(self):
        self._require(self.po_type)
        self.customer.adv_strict_documents = "strict"
        order = self._order()
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "action_confirm",
            [order.id],
            error=self.po_type.name,
            context=OLD_KEYS,
        )
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.adv_contract_status)

    def test_portal_acceptance_confirms_strict_customer_provisionally(self):
        """The customer signs on the portal (as the public user, with the order's link): the order is
        confirmed provisionally, where the salesperson's own call above is refused."""
        self._require(self.po_type)
        self.customer.adv_strict_documents = "strict"
        order = self._order(require_signature=True, require_payment=False)
        token = order._portal_ensure_token()
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            result = self.make_jsonrpc_request(
                f"/my/orders/{order.id}/accept",
                {"access_token": token, "name": "Marie Durand", "signature": SIGNATURE},
            )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "provisional")
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.adv_manager))

    def test_flexible_customer_salesperson_refused(self):
        self._require(self.po_type)
        order = self._order()
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "action_confirm",
            [order.id],
            error="Only the ADV team",
            context=OLD_KEYS,
        )
        self.assertEqual(order.state, "draft")
        # The ADV team confirms it provisionally the same way.
        self.rpc(self.adv_user, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.adv_contract_status, "provisional")

    def test_wizard_lines_and_confirmation_over_rpc(self):
        self._block_discounts_above()
        order = self._order()
        order.order_line.discount = 50.0
        action = self.rpc(
            self.salesman, "sale.order", "action_confirm", [order.id], context={"adv_interactive": True}
        )
        wizard = self.env["adv.confirm.wizard"].browse(action["res_id"])
        self.assertTrue(wizard.line_ids)
        self.assertRpcRefused(
            self.salesman,
            "adv.confirm.wizard.line",
            "write",
            wizard.line_ids.ids,
            {"severity": "warning", "can_override": True},
            error="not allowed",
        )
        self.rpc(self.salesman, "adv.confirm.wizard", "write", [wizard.id], {"reason": "please"})
        self.assertRpcRefused(
            self.salesman,
            "adv.confirm.wizard",
            "action_confirm",
            [wizard.id],
            error="ADV Manager",
            context=OLD_KEYS,
        )
        self.assertEqual(order.state, "draft")

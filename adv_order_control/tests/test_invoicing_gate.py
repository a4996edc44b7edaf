from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestInvoicingGate(AdvOrderControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require(cls.kbis_type, "invoicing")
        cls.order = cls._order()
        cls.order.action_confirm()

    def _wizard(self, user):
        return (
            self.env["sale.advance.payment.inv"]
            .with_user(user)
            .with_context(active_model="sale.order", active_ids=self.order.ids)
            .create({"advance_payment_method": "delivered", "sale_order_ids": [Command.set(self.order.ids)]})
        )

    def test_blockers_method(self):
        blockers = self.order._adv_invoicing_blockers()[self.order.id]
        self.assertEqual([b.code for b in blockers], ["missing_documents"])
        self.assertEqual(blockers[0].severity, "warning")
        self.order.adv_checklist_ids.action_original_seen()
        self.assertFalse(self.order._adv_invoicing_blockers()[self.order.id])

    def test_warning_by_default(self):
        wizard = self._wizard(self.adv_manager)
        self.assertIn(self.kbis_type.name, wizard.adv_invoicing_warning)
        wizard.create_invoices()
        invoice = self.order.invoice_ids
        self.assertIn(self.kbis_type.name, invoice.adv_invoicing_warning)
        invoice.with_user(self.adv_manager).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_block_when_company_says_so(self):
        self.company.adv_invoicing_gate = "block"
        with self.assertRaises(UserError):
            self._wizard(self.adv_manager).create_invoices()
        self.assertFalse(self.order.invoice_ids)
        # An invoice drafted anyway cannot be posted; its credit note can.
        invoice = self.order._create_invoices()
        with self.assertRaises(UserError):
            invoice.with_user(self.adv_manager).action_post()
        self.order.adv_checklist_ids.action_original_seen()
        invoice.with_user(self.adv_manager).action_post()
        self.company.adv_invoicing_gate = "block"
        self.order.adv_checklist_ids.with_user(self.adv_manager).action_reset_missing()
        refund = invoice._reverse_moves()
        refund.with_user(self.adv_manager).action_post()
        self.assertEqual(refund.state, "posted")

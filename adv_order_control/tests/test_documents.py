from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestDocuments(AdvOrderControlCommon):
    def test_no_required_type_leaves_orders_untouched(self):
        order = self._order()
        self.assertFalse(order.adv_checklist_ids)
        self.assertEqual(order.adv_doc_status, "none")
        order.action_confirm()
        self.assertEqual(order.adv_contract_status, "complete")

    def test_checklist_from_rules(self):
        self._require(self.po_type)
        self._require(self.kbis_type, "invoicing")
        order = self._order(partner=self.contact)
        self.assertEqual(order.adv_checklist_ids.type_id, self.po_type | self.kbis_type)
        po_doc = order.adv_checklist_ids.filtered(lambda d: d.type_id == self.po_type)
        kbis = order.adv_checklist_ids.filtered(lambda d: d.type_id == self.kbis_type)
        self.assertEqual(po_doc.order_id, order)
        # Customer documents live on the commercial partner, whatever contact ordered.
        self.assertEqual(kbis.partner_id, self.customer)
        self.assertFalse(kbis.order_id)
        self.assertEqual(order.adv_doc_status, "missing")
        self.assertEqual(order.adv_missing_confirm_count, 1)
        self.assertEqual(order.adv_missing_invoice_count, 1)

    def test_customer_document_shared_by_orders(self):
        self._require(self.kbis_type)
        first, second = self._order(), self._order(partner=self.contact)
        self.assertEqual(
            first.adv_checklist_ids.filtered(lambda d: d.type_id == self.kbis_type),
            second.adv_checklist_ids.filtered(lambda d: d.type_id == self.kbis_type),
        )
        self.assertEqual(self.customer.adv_doc_missing_count, 1)

    def test_amount_threshold(self):
        self._require(self.po_type, min_amount=5000.0)
        small, big = self._order(qty=1), self._order(qty=10)
        self.assertNotIn(self.po_type, small.adv_checklist_ids.type_id)
        self.assertIn(self.po_type, big.adv_checklist_ids.type_id)
        # The amount drops under the threshold: the still-missing order document goes.
        big.order_line.product_uom_qty = 1
        big.action_adv_refresh_checklist()
        self.assertNotIn(self.po_type, big.adv_checklist_ids.type_id)

    def test_tag_rule(self):
        tag = self.env["res.partner.category"].create({"name": "Public sector"})
        self._require(self.po_type, partner_category_ids=[Command.set(tag.ids)])
        self.assertNotIn(self.po_type, self._order().adv_checklist_ids.type_id)
        self.customer.category_id = tag
        self.assertIn(self.po_type, self._order().adv_checklist_ids.type_id)

    def test_attachment_marks_received_and_expiry(self):
        self._require(self.kbis_type)
        order = self._order()
        doc = order.adv_checklist_ids.filtered(lambda d: d.type_id == self.kbis_type)
        attachment = self.env["ir.attachment"].create({"name": "kbis.pdf", "raw": b"%PDF-1.4 kbis"})
        with freeze_time("2026-01-10"):
            doc.with_user(self.salesman).attachment_ids = [Command.link(attachment.id)]
            self.assertEqual(doc.state, "received")
            self.assertEqual(doc.received_by_id, self.salesman)
            # No issue date given: the K-bis runs from its receipt until one is.
            self.assertEqual(doc.expiry_date, date(2026, 4, 10))
            self.assertEqual(order.adv_doc_status, "complete")
            self.assertEqual(order.adv_next_expiry, date(2026, 4, 10))

    def test_salesperson_cannot_validate_or_waive(self):
        self._require(self.kbis_type)
        doc = self._order().adv_checklist_ids
        with self.assertRaises(AccessError):
            doc.with_user(self.salesman).action_validate()
        with self.assertRaises(AccessError):
            doc.with_user(self.salesman).write({"state": "validated"})
        with self.assertRaises(AccessError):
            doc.with_user(self.adv_user)._waive("customer exempt")
        doc.with_user(self.adv_user).issue_date = date.today()
        doc.with_user(self.adv_user).action_original_seen()
        doc.with_user(self.adv_user).action_validate()
        self.assertEqual(doc.state, "validated")
        self.assertEqual(doc.validated_by_id, self.adv_user)

    def test_waiver_needs_manager_and_reason(self):
        self._require(self.kbis_type)
        doc = self._order().adv_checklist_ids
        with self.assertRaises(UserError):
            doc.with_user(self.adv_manager)._waive("  ")
        wizard = (
            self.env["adv.document.waive.wizard"]
            .with_user(self.adv_manager)
            .create({"document_ids": [Command.set(doc.ids)], "reason": "Public body: no K-bis"})
        )
        wizard.action_waive()
        self.assertEqual(doc.state, "waived")
        self.assertEqual(doc.waiver_reason, "Public body: no K-bis")

    def test_order_scope_document_needs_order(self):
        with self.assertRaises(ValidationError):
            self.env["adv.document"].create({"type_id": self.po_type.id, "partner_id": self.customer.id})

    def test_expiry_cron(self):
        self._require(self.kbis_type)
        doc = self._order().adv_checklist_ids
        with freeze_time("2026-01-10"):
            doc.action_original_seen()
        with freeze_time("2026-03-20"):
            doc.with_user(self.adv_user)._cron_expire()
            doc._cron_expire()
        self.assertTrue(doc.expiry_warned)
        self.assertEqual(len(doc.activity_ids), 1, "warned once, not at each cron run")
        with freeze_time("2026-04-11"):
            doc._cron_expire()
        self.assertEqual(doc.state, "expired")

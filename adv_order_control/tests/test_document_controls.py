"""Contract documents: who may mark, date and waive them, and when they stop counting."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AdvOrderControlCommon, AdvRpcCase


class DocumentCommon(AdvOrderControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require(cls.kbis_type)
        cls.order = cls._order()
        cls.doc = cls.order.adv_checklist_ids

    @classmethod
    def _file(cls, name="kbis.pdf"):
        return cls.env["ir.attachment"].create({"name": name, "raw": b"%PDF-1.4 " + name.encode()})


@tagged("post_install", "-at_install")
class TestDocumentOwnership(DocumentCommon):
    def test_salesperson_cannot_mark_received_without_file(self):
        with self.assertRaisesText(UserError, "Attach the file"):
            self.doc.with_user(self.salesman).action_receive()
        with self.assertRaises(AccessError):
            self.doc.with_user(self.salesman).write({"state": "received"})
        self.assertEqual(self.doc.state, "missing")
        # With its file, the salesperson's button works; the ADV team also records a paper original.
        self.doc.with_user(self.salesman).attachment_ids = [Command.link(self._file().id)]
        self.assertEqual(self.doc.state, "received")
        other = self._order(partner=self.env["res.partner"].create({"name": "Martin SA", "is_company": True}))
        other.adv_checklist_ids.with_user(self.adv_user).action_original_seen()
        self.assertEqual(other.adv_checklist_ids.state, "received")

    def test_removing_the_file_makes_it_missing_again(self):
        self.doc.with_user(self.salesman).attachment_ids = [Command.link(self._file().id)]
        self.doc.with_user(self.salesman).attachment_ids = [Command.clear()]
        self.assertEqual(self.doc.state, "missing")
        self.assertEqual(self.order.adv_doc_status, "missing")

    def test_salesperson_cannot_push_dates(self):
        self.doc.with_user(self.salesman).attachment_ids = [Command.link(self._file().id)]
        as_salesman = self.doc.with_user(self.salesman)
        for vals in (
            {"expiry_date": "2099-12-31"},
            {"waiver_end_date": "2099-12-31"},
            {"received_date": "2099-12-31"},
            {"waiver_reason": "exempt"},
            {"state": "validated"},
            {"state": "waived"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_salesman.write(vals)
        Document = self.env["adv.document"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Document.create(
                {
                    "type_id": self.env.ref("adv_order_control.doc_type_urssaf").id,
                    "partner_id": self.customer.id,
                    "state": "received",
                    "expiry_date": "2099-12-31",
                }
            )
        # What the web client sends for a new line passes: the default state and no dates.
        doc = Document.create(
            {
                "type_id": self.env.ref("adv_order_control.doc_type_urssaf").id,
                "partner_id": self.customer.id,
                "state": "missing",
                "expiry_date": False,
            }
        )
        self.assertEqual(doc.state, "missing")

    def test_salesperson_cannot_redate_or_move_a_document(self):
        with freeze_time("2026-01-10"):
            self.doc.with_user(self.salesman).write(
                {"attachment_ids": [Command.link(self._file().id)], "issue_date": "2025-12-01"}
            )
            with self.assertRaises(AccessError):
                self.doc.with_user(self.salesman).issue_date = date(2026, 1, 10)
            other = self._order()
            with self.assertRaises(AccessError):
                self.doc.with_user(self.salesman).partner_id = self.env["res.partner"].create(
                    {"name": "Martin SA", "is_company": True}
                )
            # Writing the same values back (as a form does) passes; the ADV team corrects the date.
            self.doc.with_user(self.salesman).write(
                {"issue_date": "2025-12-01", "partner_id": self.customer.id}
            )
            self.doc.with_user(self.adv_user).issue_date = date(2026, 1, 5)
        self.assertEqual(self.doc.expiry_date, date(2026, 4, 5))
        self.assertEqual(other.adv_checklist_ids, self.doc, "a customer document serves every order")

    def test_adv_team_buttons_still_work(self):
        self.doc.with_user(self.adv_user).issue_date = date.today()
        self.doc.with_user(self.adv_user).action_original_seen()
        self.doc.with_user(self.adv_user).action_validate()
        self.assertEqual(self.doc.state, "validated")
        self.doc.with_user(self.adv_user).expiry_date = date(2099, 12, 31)
        self.assertEqual(self.doc.expiry_date, date(2099, 12, 31))
        self.doc.with_user(self.adv_user).action_reset_missing()
        self.assertEqual(self.doc.state, "missing")
        with self.assertRaises(AccessError):
            self.doc.with_user(self.adv_user).action_open_waive_wizard()
        action = self.doc.with_user(self.adv_manager).action_open_waive_wizard()
        form = Form(
            self.env[action["res_model"]].with_user(self.adv_manager).with_context(**action["context"])
        )
        form.reason = "Public body: no K-bis"
        form.end_date = date(2099, 12, 31)
        form.save().action_waive()
        self.assertEqual(self.doc.state, "waived")
        self.assertEqual(self.doc.waiver_end_date, date(2099, 12, 31))


@tagged("post_install", "-at_install")
class TestDocumentValidity(DocumentCommon):
    def _refresh(self):
        self.env.invalidate_all()

    def test_kbis_valid_three_months_from_issue(self):
        self.assertEqual(self.kbis_type.validity_start, "issue")
        with freeze_time("2026-01-10"):
            self.doc.with_user(self.salesman).write(
                {"attachment_ids": [Command.link(self._file().id)], "issue_date": "2025-12-01"}
            )
        self.assertEqual(self.doc.state, "received")
        self.assertEqual(self.doc.received_date, date(2026, 1, 10))
        self.assertEqual(self.doc.expiry_date, date(2026, 3, 1), "3 months from issue, not from upload")

    def test_issue_date_given_after_upload_moves_expiry(self):
        with freeze_time("2026-01-10"):
            self.doc.with_user(self.salesman).attachment_ids = [Command.link(self._file().id)]
            self.assertEqual(self.doc.expiry_date, date(2026, 4, 10))
            self.doc.with_user(self.salesman).issue_date = date(2025, 11, 20)
        self.assertEqual(self.doc.expiry_date, date(2026, 2, 20))

    def test_issue_date_cannot_be_in_the_future(self):
        with freeze_time("2026-01-10"):
            self.doc.with_user(self.salesman).attachment_ids = [Command.link(self._file().id)]
            with self.assertRaises(ValidationError):
                self.doc.with_user(self.salesman).issue_date = date(2099, 1, 1)

    def test_validation_needs_issue_date(self):
        # Received on its original seen, with neither an issue date nor an expiry date to run from.
        self.doc.with_user(self.adv_user).action_original_seen()
        self.doc.with_user(self.adv_user).expiry_date = False
        with self.assertRaisesText(UserError, "issue date"):
            self.doc.with_user(self.adv_user).action_validate()
        urssaf = self.env.ref("adv_order_control.doc_type_urssaf")
        self.assertEqual(urssaf.validity_start, "received")

    def test_expired_at_once_without_nightly_job(self):
        with freeze_time("2026-01-10"):
            self.order.with_user(self.adv_user).action_confirm()
            self.doc.with_user(self.salesman).write(
                {"attachment_ids": [Command.link(self._file().id)], "issue_date": "2025-12-01"}
            )
        with freeze_time("2026-03-01"):
            self._refresh()
            self.assertTrue(self.doc.is_ok, "valid on its last day")
            self.assertEqual(self.order.adv_doc_status, "complete")
        with freeze_time("2026-03-02"):
            self._refresh()
            self.assertEqual(self.doc.state, "received", "the nightly job has not run")
            self.assertFalse(self.doc.is_ok)
            self.assertEqual(self.order.adv_doc_status, "missing")
            self.assertEqual(self.order.adv_missing_confirm_count, 1)
            self.assertEqual(self.order.adv_doc_completeness, 0.0)
            self.assertEqual(self.customer.adv_doc_missing_count, 1)
            Document, SaleOrder = self.env["adv.document"], self.env["sale.order"]
            self.assertIn(self.doc, Document.search([("is_ok", "=", False)]))
            self.assertNotIn(self.doc, Document.search([("is_ok", "=", True)]))
            self.assertIn(self.order, SaleOrder.search([("adv_doc_status", "=", "missing")]))
            self.assertNotIn(self.order, SaleOrder.search([("adv_doc_status", "=", "complete")]))
            self.assertIn(self.customer, self.env["res.partner"].search([("adv_doc_missing_count", ">", 0)]))
            # The invoicing gate sees it too.
            self.assertEqual(
                [b.code for b in self.order._adv_invoicing_blockers()[self.order.id]], ["missing_documents"]
            )

    def test_waiver_end_counts_at_once(self):
        self.doc.with_user(self.adv_manager)._waive("exempt until March", date(2099, 1, 1))
        self.doc.sudo().waiver_end_date = date(2026, 3, 1)
        with freeze_time("2026-03-02"):
            self._refresh()
            self.assertFalse(self.doc.is_ok)
            self.assertEqual(self.order.adv_doc_status, "missing")


@tagged("post_install", "-at_install")
class TestDocumentRpc(AdvRpcCase, DocumentCommon):
    def test_salesperson_refused_over_rpc(self):
        self.assertRpcRefused(
            self.salesman, "adv.document", "action_receive", self.doc.ids, error="Attach the file"
        )
        for vals in (
            {"state": "received"},
            {"expiry_date": "2099-12-31"},
            {"waiver_end_date": "2099-12-31"},
            {"state": "waived", "waiver_end_date": "2099-12-31"},
        ):
            with self.subTest(vals=vals):
                self.assertRpcRefused(
                    self.salesman,
                    "adv.document",
                    "write",
                    self.doc.ids,
                    vals,
                    error="You cannot set",
                    context={"adv_checks_done": True},
                )
        self.assertRpcRefused(
            self.salesman,
            "adv.document",
            "create",
            {
                "type_id": self.env.ref("adv_order_control.doc_type_urssaf").id,
                "partner_id": self.customer.id,
                "state": "waived",
                "waiver_end_date": "2099-12-31",
            },
            error="You cannot set",
        )
        self.assertEqual(self.doc.state, "missing")
        self.assertFalse(self.doc.expiry_date)


@tagged("post_install", "-at_install")
class TestDocumentEvidence(DocumentCommon):
    """Issue 11: received or validated on a proof (the file, or the original seen); the board's columns."""

    def test_received_or_validated_needs_a_file_or_the_original_seen(self):
        for user in (self.salesman, self.adv_user):
            with self.subTest(user=user.name), self.assertRaisesText(UserError, "Original Seen"):
                self.doc.with_user(user).action_receive()
        with self.assertRaisesText(UserError, "Original Seen"):
            self.doc.with_user(self.adv_user).action_validate()
        self.assertEqual(self.doc.state, "missing")
        with self.assertRaises(AccessError):
            self.doc.with_user(self.salesman).action_original_seen()
        # The ADV team saw the paper original: who and when are kept, the document is received.
        self.doc.with_user(self.adv_user).action_original_seen()
        self.assertEqual(self.doc.state, "received")
        self.assertEqual(self.doc.stage, "to_validate")
        self.assertTrue(self.doc.original_seen)
        self.assertEqual(self.doc.original_seen_by_id, self.adv_user)
        self.assertTrue(self.doc.original_seen_date)
        self.doc.with_user(self.adv_user).issue_date = date.today()
        self.doc.with_user(self.adv_user).action_validate()
        self.assertEqual(self.doc.state, "validated")
        # Reset to missing: the next version needs its own proof.
        self.doc.with_user(self.adv_user).action_reset_missing()
        self.assertFalse(self.doc.original_seen)
        with self.assertRaisesText(UserError, "Original Seen"):
            self.doc.with_user(self.adv_user).action_validate()

    def test_validated_document_keeps_its_file(self):
        self.doc.with_user(self.salesman).attachment_ids = [Command.link(self._file().id)]
        self.doc.with_user(self.adv_user).issue_date = date.today()
        self.doc.with_user(self.adv_user).action_validate()
        with self.assertRaisesText(UserError, "Attach the file"):
            self.doc.with_user(self.adv_user).attachment_ids = [Command.clear()]

    def test_salesperson_cannot_remove_a_required_document(self):
        self.assertEqual(self.doc.requirement, "confirmation")
        with self.assertRaises(AccessError):
            self.order.with_user(self.salesman).write({"adv_checklist_ids": [Command.unlink(self.doc.id)]})
        with self.assertRaises(AccessError):
            self.doc.with_user(self.salesman).unlink()
        self.assertEqual(self.order.adv_checklist_ids, self.doc)

    def test_documents_board_opens_on_its_columns(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("adv_order_control.action_adv_document")
        self.assertTrue(action["view_mode"].startswith("kanban"))
        other = self._order(partner=self.env["res.partner"].create({"name": "Martin SA", "is_company": True}))
        other.adv_checklist_ids.action_original_seen()
        groups = (
            self.env["adv.document"]
            .with_user(self.adv_user)
            .web_read_group([("id", "in", (self.doc | other.adv_checklist_ids).ids)], ["stage"], ["stage"])
        )
        columns = [(g["stage"], g["stage_count"]) for g in groups["groups"]]
        self.assertEqual(columns, [("to_collect", 1), ("to_validate", 1), ("valid", 0), ("waived", 0)])


@tagged("post_install", "-at_install")
class TestDocumentEvidenceRpc(AdvRpcCase, DocumentCommon):
    def test_original_seen_only_by_its_button(self):
        for user in (self.salesman, self.adv_user):
            with self.subTest(user=user.login):
                self.assertRpcRefused(
                    user,
                    "adv.document",
                    "write",
                    self.doc.ids,
                    {"original_seen": True},
                    error="You cannot set",
                )
        self.assertRpcRefused(self.salesman, "adv.document", "unlink", self.doc.ids)
        self.assertTrue(self.doc.exists())
        self.assertFalse(self.doc.original_seen)

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceImport(AdvEinvoiceCommon):
    def _statuses(self):
        return self.env["adv.einvoice.status"].search([("move_id", "in", self.invoices.ids)])

    def test_lifecycle_through_the_wizard(self):
        logs = self._import(
            "cdar_200_deposited.xml", "cdar_202_received_two_invoices.xml", "cdar_205_approved.xml"
        )
        self.assertEqual(logs.mapped("state"), ["done"] * 4)
        self.assertEqual(logs.move_id, self.inv1 | self.inv2)
        self.assertEqual(sorted(self.inv1.adv_einvoice_status_ids.mapped("code")), ["200", "202", "205"])
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["205"])
        self.assertEqual(self.inv2.adv_einvoice_status_id, self.code["202"])
        approved = self.inv1.adv_einvoice_status_ids.filtered(lambda s: s.code == "205")
        self.assertEqual(approved.issuer, "buyer")
        self.assertEqual(approved.message_id, "CDV-BY-20260905-0001")
        self.assertEqual(approved.attachment_id.name, "cdar_205_approved.xml")
        self.assertFalse(self.inv3.adv_einvoice_status_id)

        # A partial collection, then a status dated after it: refused, nothing written.
        self._import("cdar_212_collected_partial.xml")
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["212"])
        self.assertEqual(self.inv1.adv_einvoice_status_ids.filtered(lambda s: s.code == "212").amount, 400.0)
        (log,) = self._import("cdar_204_after_collected.xml")
        self.assertEqual(log.state, "error")
        self.assertIn("cannot follow", log.error)
        self.assertEqual(len(self.inv1.adv_einvoice_status_ids), 4)
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["212"])
        # The rest collected later: a second Encaissee follows the partial one.
        log = self.inv1._adv_einvoice_receive_status(
            {"message_id": "API-212-2", "code": "212", "date": "2026-10-01 08:00:00", "amount": 600.0}
        )
        self.assertEqual(log.state, "done")
        self.assertEqual(
            sum(self.inv1.adv_einvoice_status_ids.filtered(lambda s: s.code == "212").mapped("amount")),
            1000.0,
        )

    def test_partial_approval(self):
        self._import("cdar_206_partially_approved.xml")
        status = self.inv2.adv_einvoice_status_ids
        self.assertEqual((status.code, status.amount, status.reason_code), ("206", 600.0, "QTE"))

    def test_reimport_is_idempotent(self):
        self._import("cdar_200_deposited.xml", "cdar_202_received_two_invoices.xml")
        logs = self._import("cdar_200_deposited.xml", "cdar_202_received_two_invoices.xml")
        self.assertEqual(logs.mapped("state"), ["duplicate"] * 3)
        self.assertEqual(len(self._statuses()), 3)
        self.assertEqual(len(self.inv1.adv_einvoice_status_ids), 2)

    def test_malformed_and_unknown_invoice(self):
        logs = self._import("cdar_malformed.xml", "cdar_unknown_invoice.xml")
        self.assertEqual(logs.mapped("state"), ["error", "error"])
        self.assertIn("cdar_malformed.xml", logs[0].error)
        self.assertIn("ADVE/2026/09999", logs[1].error)
        self.assertFalse(self._statuses())

    def test_entry_point_errors_leave_nothing(self):
        log = self.inv3._adv_einvoice_receive_status(
            {"message_id": "API-1", "code": "299", "date": "2026-09-10 10:00:00"}
        )
        self.assertEqual(log.state, "error")
        self.assertIn("299", log.error)
        log = self.inv3._adv_einvoice_receive_status({"code": "205"})
        self.assertEqual(log.state, "error")
        self.assertFalse(self._statuses())
        log = self.inv3._adv_einvoice_receive_status(
            {"message_id": "API-2", "code": "205", "date": "2026-09-10 10:00:00"}
        )
        self.assertEqual((log.state, log.status_id.code, log.move_id), ("done", "205", self.inv3))

    def test_company_not_switched_on(self):
        self.company.adv_einvoicing_enabled = False
        (log,) = self._import("cdar_200_deposited.xml")
        self.assertEqual(log.state, "error")
        self.assertIn("not switched on", log.error)
        self.assertFalse(self._statuses())

    def test_salesperson_cannot_import_nor_alter(self):
        with self.assertRaises(AccessError):
            self._import("cdar_200_deposited.xml", user=self.salesman)
        with self.assertRaises(AccessError):
            self.env["adv.einvoice.status"].with_user(self.salesman)._receive(
                [{"message_id": "X-1", "invoice_number": self.inv1.name, "code": "205"}]
            )
        self._import("cdar_200_deposited.xml")
        status = self.inv1.adv_einvoice_status_ids
        with self.assertRaises(AccessError):
            status.with_user(self.salesman).write({"reason_text": "Changed"})
        with self.assertRaises(AccessError):
            status.with_user(self.salesman).unlink()
        with self.assertRaises(AccessError):
            self.inv1.with_user(self.salesman).write({"adv_einvoice_status_id": self.code["212"].id})
        # The ADV user imports, but cannot rewrite history either.
        with self.assertRaises(AccessError):
            status.with_user(self.adv_user).write({"reason_text": "Changed"})
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["200"])
        # Reading is open to every internal user: the status shows on the invoice.
        self.assertEqual(self.inv1.with_user(self.salesman).adv_einvoice_status_id.code, "200")

    def test_wizard_requires_files(self):
        wizard = Form(self.env["adv.einvoice.import.wizard"].with_user(self.adv_user)).save()
        with self.assertRaisesRegex(Exception, "Add the status files"):
            wizard.action_import()

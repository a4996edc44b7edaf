import io
import json
from datetime import date, datetime

import openpyxl

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.adv_einvoicing.tests.common import AdvEinvoiceCommon

SEPT = date(2026, 9, 1)
RATIOS = [
    "einvoice_rejection_rate",
    "einvoice_refusal_rate",
    "einvoice_approval_time",
    "einvoice_collection_time",
    "einvoice_declared_rate",
]


@tagged("post_install", "-at_install")
class TestEinvoiceKpis(AdvEinvoiceCommon):
    """Four invoices of 1 September 2026 deposited; invoice 1 approved after 4 days and collected after 19,
    invoice 3 refused, invoice 4 rejected: the figures of the customer's row, by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "einv_kpi_manager", groups="adv_order_control.group_adv_manager", name="Mia Manager"
        )
        cls.Snapshot = cls.env["adv.kpi.snapshot"]

    def _receive_lifecycle(self):
        self._import("cdar_200_deposited.xml", "cdar_205_approved.xml", "cdar_213_rejected.xml")
        for number, invoice in enumerate(self.inv2 | self.inv3 | self.inv4, start=2):
            invoice.with_user(self.adv_user)._adv_einvoice_receive_status(
                {"message_id": f"DEP-{number}", "code": "200", "date": "2026-09-01 08:00:00"}
            )
        self._import("cdar_210_refused.xml", "cdar_212_collected_partial.xml")

    def _recompute(self):
        """The recompute button of the KPI snapshots, as an ADV Manager."""
        wizard = Form(self.env["adv.kpi.recompute.wizard"].with_user(self.manager))
        wizard.date_from = SEPT
        wizard.date_to = SEPT
        wizard.save().action_recompute()

    def _customer_row(self):
        return self.Snapshot.search(
            [
                ("company_id", "=", self.company.id),
                ("month", "=", SEPT),
                ("dimension", "=", "customer"),
                ("partner_id", "=", self.customer.id),
            ]
        )

    def test_lifecycle_kpis_in_snapshot_dashboard_and_export(self):
        self._receive_lifecycle()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.inv1.ids
        ).create({"payment_date": date(2026, 9, 20)}).action_create_payments()
        self.assertIn(self.inv1.payment_state, ("paid", "in_payment"))
        self._recompute()
        row = self._customer_row()
        self.assertEqual(
            (row.einvoice_deposited_count, row.einvoice_rejected_count, row.einvoice_refused_count), (4, 1, 1)
        )
        self.assertEqual((row.einvoice_rejection_rate, row.einvoice_refusal_rate), (25.0, 25.0))
        self.assertEqual((row.einvoice_approved_count, row.einvoice_approval_time), (1, 4.0))
        self.assertEqual((row.einvoice_collected_count, row.einvoice_collection_time), (1, 19.0))
        # Paid in September, its Encaissee not declared yet.
        self.assertEqual((row.einvoice_paid_count, row.einvoice_declared_count), (1, 0))
        self.assertEqual(row.einvoice_declared_rate, 0.0)

        # Declared to the platform (the outgoing flow sets when): counted once recomputed.
        collected = self.inv1.adv_einvoice_status_ids.filtered(lambda s: s.code == "212")
        collected.sudo().write({"sent_date": datetime(2026, 9, 21, 9, 0)})
        self._recompute()
        row = self._customer_row()
        self.assertEqual((row.einvoice_declared_count, row.einvoice_declared_rate), (1, 100.0))

        # The dashboard reads the company's row through its pivot, as an ADV Manager (an ADV User sees
        # only the rows of their own scope).
        dashboard = self.env.ref("adv_einvoicing_kpi.dashboard_adv_einvoicing_kpi")
        spreadsheet = json.loads(dashboard.spreadsheet_data)
        [pivot] = spreadsheet["pivots"].values()
        self.assertEqual([m["fieldName"] for m in pivot["measures"]], RATIOS)
        company_row = self.Snapshot.search(
            [("company_id", "=", self.company.id), ("month", "=", SEPT), ("dimension", "=", "company")]
        )
        [values] = self.Snapshot.with_user(self.manager)._read_group(
            pivot["domain"] + [("company_id", "=", self.company.id), ("month", "=", SEPT)],
            aggregates=["__count", *(f"{name}:avg" for name in RATIOS)],
        )
        self.assertEqual(values[0], 1, "the dashboard's pivot reads the company's row of the month")
        for name, value in zip(RATIOS, values[1:], strict=True):
            self.assertAlmostEqual(value, company_row[name], msg=name)
        self.assertGreaterEqual(company_row.einvoice_deposited_count, 4)

        # The Excel export: the summary's company figures and the e-invoicing sheet by customer.
        wizard = self.env["adv.kpi.export.wizard"].create(
            {"date_from": SEPT, "date_to": SEPT, "company_id": self.company.id, "include_invoices": False}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw))
        summary = book["Summary"]
        header = [cell.value for cell in summary[3]]
        september = next(r for r in summary.iter_rows(min_row=4, values_only=True) if r[0].date() == SEPT)
        self.assertAlmostEqual(
            september[header.index("E-Invoice Rejection Rate (%)")], company_row.einvoice_rejection_rate
        )
        sheet = book["E-invoicing"]
        rows = list(sheet.iter_rows(values_only=True))
        labels = rows[0]
        [customer] = [r for r in rows[1:] if r[2] == self.customer.name]
        figures = {label: customer[labels.index(label)] for label in labels[3:]}
        self.assertEqual(figures["E-Invoices Deposited"], 4)
        self.assertEqual(figures["E-Invoice Rejection Rate (%)"], 25.0)
        self.assertEqual(figures["E-Invoice Refusal Rate (%)"], 25.0)
        self.assertEqual(figures["Days Deposited to Approved"], 4.0)
        self.assertEqual(figures["Days Deposited to Collected"], 19.0)
        self.assertEqual(figures["Paid E-Invoices Declared (%)"], 100.0)

    def test_rejected_invoice_is_a_billing_error_counted_once(self):
        self._recompute()
        self.assertFalse(self._customer_row().billing_error_rate)
        self._import("cdar_200_deposited.xml", "cdar_213_rejected.xml")
        self.assertTrue(self.inv4.adv_einvoice_rejected)
        self._recompute()
        row = self._customer_row()
        self.assertEqual((row.invoice_count, row.error_refund_count), (4, 1))
        self.assertEqual(row.billing_error_rate, 25.0)
        # Corrected through "Correct and re-issue" as a billing error: its credit note is the same error.
        action = self.inv4.action_adv_einvoice_correct()
        reversal = Form(self.env["account.move.reversal"].with_context(**action["context"]))
        reversal.adv_refund_reason = "billing_error"
        reversal.date = date(2026, 9, 2)
        reversal.journal_id = self.journal
        refund = self.env["account.move"].browse(reversal.save().refund_moves()["res_id"])
        refund.action_post()
        facts = self.env["adv.kpi.invoice.report"].search([("move_id", "in", (self.inv4 | refund).ids)])
        self.assertEqual(
            {fact.move_id: fact.is_billing_error for fact in facts}, {self.inv4: True, refund: False}
        )
        self._recompute()
        self.assertEqual(self._customer_row().error_refund_count, 1)

    def test_other_invoices_leave_the_rates_empty(self):
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": SEPT,
                "invoice_line_ids": [Command.create({"name": "Plain", "quantity": 1, "price_unit": 10.0})],
            }
        ).action_post()
        self._recompute()
        row = self._customer_row()
        self.assertFalse(row.einvoice_deposited_count)
        # Empty (NULL) rather than zero: no e-invoice was deposited.
        self.env.cr.execute("SELECT einvoice_rejection_rate FROM adv_kpi_snapshot WHERE id = %s", row.ids)
        self.assertIsNone(self.env.cr.fetchone()[0])

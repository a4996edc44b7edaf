import io
from datetime import timedelta

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestReportPdf(AdvCreditCommon):
    """Each of the suite's printed documents comes out of wkhtmltopdf with its key figures."""

    def _pdf_text(self, report, records):
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(),
            "ok",
            "wkhtmltopdf is missing: `setup/adv test` installs it",
        )
        # Odoo renders HTML instead of PDF under test unless asked otherwise.
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.controller)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    def test_formal_notice(self):
        Level = self.env["adv.dunning.level"]
        Level.search([]).active = False
        Level.create({"name": "Notice", "delay": 20, "channel": "letter", "stage": "formal"})
        invoice = self._invoice(self.customer, 1234.5, due=self.today - timedelta(days=25))
        reminder = self.env["adv.dunning.reminder"]._adv_process_due(invoice)
        self.assertEqual(reminder.stage, "formal")
        text = self._pdf_text("adv_credit_mgmt.action_report_adv_reminder_letter", reminder)
        self.assertIn("Formal notice", text)
        self.assertIn(invoice.name, text)
        self.assertIn("1,234.50", text)
        self.assertIn("Durand SA", text)
        self.assertIn("D441-5", text)

    def test_customer_statement(self):
        first = self._invoice(self.customer, 700.0, due=self.today - timedelta(days=10))
        second = self._invoice(self.customer, 300.25, due=self.today + timedelta(days=20))
        text = self._pdf_text("adv_credit_mgmt.action_report_adv_statement", self.customer)
        self.assertIn(first.name, text)
        self.assertIn(second.name, text)
        self.assertIn("1,000.25", text, "the statement's total open amount")

    def test_committee_agenda(self):
        invoice = self._invoice(self.customer, 1000.0, due=self.today + timedelta(days=30))
        dispute = (
            self.env["adv.dispute"]
            .with_user(self.controller)
            .create({"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 432.1})
        )
        session = (
            self.env["adv.dispute.committee"]
            .with_user(self.controller)
            .create({"date": dispute.deadline + timedelta(days=1)})
        )
        session.action_load_disputes()
        self.assertIn(dispute, session.dispute_ids)
        text = self._pdf_text("adv_credit_mgmt.action_report_adv_committee_agenda", session)
        self.assertIn(dispute.name, text)
        self.assertIn("432.10", text)
        self.assertIn("Durand SA", text)

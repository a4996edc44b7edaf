from email.message import EmailMessage

from odoo.tests import tagged

from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceMail(AdvEinvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platform = cls.env["adv.einvoice.platform"].create(
            {"name": "PA Exemple", "email": "Statuts <statuts@pa.example>", "alias_name": "pa-statuses"}
        )

    def _mail(self, sender, message_id, *names):
        """The raw email a platform sends: a short text and the CDAR files attached."""
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = "pa-statuses@example.com"
        mail["Subject"] = "Statuts de cycle de vie"
        mail["Message-Id"] = f"<{message_id}@pa.example>"
        mail.set_content("Veuillez trouver ci-joint les statuts.")
        for name in names:
            mail.add_attachment(self._sample(name), maintype="application", subtype="xml", filename=name)
        return mail.as_string()

    def _process(self, raw):
        self.env["mail.thread"].message_process("adv.einvoice.platform", raw, thread_id=self.platform.id)
        return self.env["adv.einvoice.import.log"].search([("platform_id", "=", self.platform.id)])

    def test_alias_lands_on_the_platform(self):
        alias = self.platform.alias_id
        self.assertEqual(alias.alias_model_id.model, "adv.einvoice.platform")
        self.assertEqual(alias.alias_force_thread_id, self.platform.id)

    def test_mail_from_the_platform_is_imported_once(self):
        raw = self._mail("statuts@pa.example", "m1", "cdar_200_deposited.xml", "cdar_213_rejected.xml")
        logs = self._process(raw)
        self.assertEqual(sorted(logs.mapped("state")), ["done", "done"])
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["200"])
        self.assertEqual(self.inv4.adv_einvoice_status_id, self.code["213"])
        status = self.inv1.adv_einvoice_status_ids
        self.assertEqual(status.platform_id, self.platform)
        self.assertEqual(status.attachment_id.res_model, "adv.einvoice.platform")
        # The platform sends the same statuses again in another mail: nothing doubled.
        logs = self._process(self._mail("statuts@pa.example", "m2", "cdar_200_deposited.xml"))
        self.assertEqual(logs.sorted("id")[-1].state, "duplicate")
        self.assertEqual(len(self.inv1.adv_einvoice_status_ids), 1)

    def test_mail_from_another_sender_is_refused(self):
        logs = self._process(self._mail("someone@elsewhere.example", "m3", "cdar_200_deposited.xml"))
        self.assertEqual(logs.state, "error")
        self.assertIn("someone@elsewhere.example", logs.error)
        self.assertFalse(self.inv1.adv_einvoice_status_ids)

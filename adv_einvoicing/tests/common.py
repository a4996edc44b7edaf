import base64
from datetime import date

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools import file_open


class AdvEinvoiceCommon(TransactionCase):
    """A company with e-invoicing on, a journal of its own (invoices ADVE/2026/00001..4, the numbers
    the sample files of tests/data acknowledge), an ADV user and a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.write({"adv_einvoicing_enabled": True, "company_registry": "123 456 789"})
        cls.adv_user = new_test_user(
            cls.env,
            "einv_adv",
            groups="adv_order_control.group_adv_user,sales_team.group_sale_salesman_all_leads",
            name="Alice ADV",
        )
        cls.salesman = new_test_user(
            cls.env, "einv_sales", groups="sales_team.group_sale_salesman_all_leads", name="Sam Sales"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Durand SA", "is_company": True})
        sale_journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.journal = sale_journal.copy(
            {"name": "E-Invoices", "code": "ADVE", "default_account_id": sale_journal.default_account_id.id}
        )
        cls.invoices = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "journal_id": cls.journal.id,
                    "invoice_date": date(2026, 9, 1),
                    "invoice_user_id": cls.adv_user.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Maintenance", "quantity": 1, "price_unit": 1000.0, "tax_ids": []}
                        )
                    ],
                }
                for _i in range(4)
            ]
        )
        for invoice in cls.invoices:
            invoice.action_post()
        cls.inv1, cls.inv2, cls.inv3, cls.inv4 = cls.invoices
        cls.code = {c.code: c for c in cls.env["adv.einvoice.status.code"].search([])}

    @classmethod
    def _sample(cls, name):
        with file_open(f"adv_einvoicing/tests/data/{name}", "rb") as f:
            return f.read()

    def _import(self, *names, user=None):
        """Upload sample files through the wizard as ``user`` (the ADV user); its import log lines."""
        user = user or self.adv_user
        attachments = (
            self.env["ir.attachment"]
            .with_user(user)
            .create([{"name": name, "datas": base64.b64encode(self._sample(name))} for name in names])
        )
        wizard_form = Form(self.env["adv.einvoice.import.wizard"].with_user(user))
        for attachment in attachments:
            wizard_form.attachment_ids.add(attachment)
        wizard = wizard_form.save()
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "adv.einvoice.import.log")
        return wizard.log_ids

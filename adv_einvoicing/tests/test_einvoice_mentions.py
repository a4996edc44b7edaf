from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceMentions(AdvEinvoiceCommon):
    """Posting a customer invoice checks the mentions the reform makes mandatory, as the company chose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.biller = new_test_user(
            cls.env,
            "einv_biller",
            groups="adv_order_control.group_adv_user,account.group_account_invoice,"
            "sales_team.group_sale_salesman_all_leads",
            name="Bea Billing",
        )
        cls.fr = cls.env.ref("base.fr")
        cls.french = cls.env["res.partner"].create(
            {"name": "Martin SARL", "is_company": True, "country_id": cls.fr.id}
        )
        cls.foreign = cls.env["res.partner"].create(
            {"name": "Janssens NV", "is_company": True, "country_id": cls.env.ref("base.be").id}
        )
        cls.service = cls.env["product.product"].create({"name": "Audit", "type": "service"})
        cls.goods = cls.env["product.product"].create({"name": "Pump", "type": "consu"})

    def _draft(self, partner, products=(), move_type="out_invoice", **values):
        """A draft invoice typed in the form by the billing user."""
        form = Form(self.env["account.move"].with_user(self.biller).with_context(default_move_type=move_type))
        form.partner_id = partner
        form.invoice_date = date(2026, 9, 1)
        for product in products or [None]:
            with form.invoice_line_ids.new() as line:
                if product:
                    line.product_id = product
                else:
                    line.name = "Consulting"
                line.price_unit = 100.0
                line.tax_ids.clear()
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_off_by_default_changes_nothing(self):
        self.assertEqual(self.company.adv_einvoice_mention_check, "off")
        invoice = self._draft(self.french)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.adv_invoicing_warning)

    def test_block_says_each_missing_mention_and_how_to_fix_it(self):
        self.company.adv_einvoice_mention_check = "block"
        self.french.adv_requires_customer_ref = True
        delivery = self.env["res.partner"].create(
            {"name": "Site de Lyon", "type": "delivery", "parent_id": self.french.id}
        )
        invoice = self._draft(self.french)
        invoice.partner_shipping_id = delivery  # the field shows to users with delivery addresses only
        self.assertFalse(invoice.adv_operation_category, "no product: nothing to compute the category from")
        with self.assertRaises(UserError) as caught:
            invoice.with_user(self.biller).action_post()
        message = str(caught.exception)
        self.assertIn("misses mentions the e-invoicing reform makes mandatory", message)
        for expected in (
            "The customer Martin SARL has no SIREN: fill in its SIRET or company registry",
            "Site de Lyon differs from the invoice address but is incomplete",
            "set its Category of Operation",
            "requires its purchase order number: fill in the Customer Reference",
        ):
            self.assertIn(expected, message)
        self.assertNotIn("VAT number", message)
        self.assertEqual(invoice.state, "draft")
        # The draft's banner already says it.
        self.assertIn("Martin SARL has no SIREN", invoice.adv_invoicing_warning)
        # Fixed as the message says: posted.
        self.french.company_registry = "552 100 554"
        delivery.write(
            {"street": "1 rue de la République", "zip": "69001", "city": "Lyon", "country_id": self.fr.id}
        )
        form = Form(invoice.with_user(self.biller))
        form.adv_operation_category = "services"
        form.save()
        invoice.with_user(self.biller).ref = "PO-778"
        invoice.with_user(self.biller).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_block_applies_to_credit_notes_not_to_unattended_callers(self):
        self.company.adv_einvoice_mention_check = "block"
        refund = self._draft(self.foreign, [self.goods], move_type="out_refund")
        with self.assertRaises(UserError) as caught:
            refund.with_user(self.biller).action_post()
        self.assertIn("The foreign customer Janssens NV has no VAT number", str(caught.exception))
        # Online payment or a cron posts as superuser: never refused, told in the chatter.
        refund.sudo()._post(soft=False)
        self.assertEqual(refund.state, "posted")
        self.assertIn("Janssens NV has no VAT number", refund.message_ids[:1].body)

    def test_warning_posts_and_says_what_is_missing(self):
        self.company.adv_einvoice_mention_check = "warning"
        invoice = self._draft(self.foreign, [self.service])
        invoice.with_user(self.biller).action_post()
        self.assertEqual(invoice.state, "posted")
        note = invoice.message_ids[:1].body
        self.assertIn("misses mentions the e-invoicing reform makes mandatory", note)
        self.assertIn("Customer VAT number", note)
        self.foreign.vat = "BE0477472701"
        other = self._draft(self.foreign, [self.service])
        other.with_user(self.biller).action_post()
        self.assertNotIn("misses mentions", other.message_ids[:1].body or "")

    def test_category_from_the_products_editable(self):
        self.assertEqual(self._draft(self.french, [self.service]).adv_operation_category, "services")
        self.assertEqual(self._draft(self.french, [self.goods]).adv_operation_category, "goods")
        invoice = self._draft(self.french, [self.goods, self.service])
        self.assertEqual(invoice.adv_operation_category, "mixed")
        form = Form(invoice.with_user(self.biller))
        form.adv_operation_category = "goods"
        self.assertEqual(form.save().adv_operation_category, "goods")

    def test_vat_on_debits_taxes_and_facturx(self):
        company = self.company
        company.write(
            {"adv_einvoice_mention_check": "block", "adv_vat_on_debits": True, "tax_exigibility": True}
        )
        self.french.company_registry = "552 100 554"
        transition = self.env["account.account"].create(
            {
                "name": "TVA en attente",
                "code": "445799",
                "account_type": "liability_current",
                "reconcile": True,
            }
        )
        cash_tax = self.env["account.tax"].create(
            {
                "name": "TVA 20% encaissements",
                "amount": 20.0,
                "type_tax_use": "sale",
                "tax_exigibility": "on_payment",
                "cash_basis_transition_account_id": transition.id,
            }
        )
        invoice = self._draft(self.french, [self.service])
        invoice.invoice_line_ids.tax_ids = cash_tax
        with self.assertRaises(UserError) as caught:
            invoice.with_user(self.biller).action_post()
        self.assertIn(
            "opted for VAT on debits but the services bear taxes due on payment", str(caught.exception)
        )
        self.assertIn("TVA 20% encaissements", str(caught.exception))
        invoice.invoice_line_ids.tax_ids = [Command.clear()]
        invoice.with_user(self.biller).action_post()
        xml, _errors = self.env["account.edi.xml.cii"]._export_invoice(invoice)
        self.assertIn(b"<ram:ID>S1</ram:ID>", xml)
        self.assertIn(b"Option for the payment of VAT on debits", xml)
        html = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0]
        self.assertIn(b"Option for the payment of VAT on debits", html)
        self.assertIn(b"Category of operation", html)

    def test_invoicing_gate_of_the_orders(self):
        """The pre-invoice board and the invoicing wizard read the order's missing mentions."""
        self.company.adv_einvoice_mention_check = "warning"
        order = self.env["sale.order"].create(
            {"partner_id": self.french.id, "order_line": [Command.create({"product_id": self.service.id})]}
        )
        blockers = order._adv_invoicing_blockers()[order.id]
        siren = [b for b in blockers if b.code == "einvoice_customer_siren"]
        self.assertEqual(len(siren), 1)
        self.assertEqual((siren[0].severity, siren[0].label), ("warning", "Customer SIREN"))
        self.company.adv_einvoice_mention_check = "block"
        mentions = [b for b in order._adv_invoicing_blockers()[order.id] if b.code.startswith("einvoice_")]
        self.assertEqual({b.severity for b in mentions}, {"block"})
        self.company.adv_einvoicing_enabled = False
        self.assertFalse(
            [b for b in order._adv_invoicing_blockers()[order.id] if b.code.startswith("einvoice_")],
            "the check belongs to the e-invoicing lifecycle: off with it",
        )

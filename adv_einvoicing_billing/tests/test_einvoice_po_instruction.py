from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.adv_einvoicing.tests.common import AdvEinvoiceCommon

PO_MESSAGE = "The customer Martin SARL requires its purchase order number: fill in the Customer Reference."


@tagged("post_install", "-at_install")
class TestEinvoicePoInstruction(AdvEinvoiceCommon):
    """A customer whose invoicing instructions require a PO number has it checked as a mandatory mention."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.biller = new_test_user(
            cls.env,
            "einv_po_biller",
            groups="adv_order_control.group_adv_user,account.group_account_invoice,"
            "sales_team.group_sale_salesman_all_leads",
            name="Bea Billing",
        )
        cls.company.adv_einvoice_mention_check = "block"
        cls.customer_po = cls.env["res.partner"].create(
            {
                "name": "Martin SARL",
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "company_registry": "552 100 554",
            }
        )
        cls.instruction = cls.env["adv.billing.instruction"].create(
            {"partner_id": cls.customer_po.id, "company_id": cls.company.id, "po_required": True}
        )
        cls.service = cls.env["product.product"].create({"name": "Audit", "type": "service"})

    def _draft(self, **values):
        """A draft invoice typed in the form by the billing user."""
        form = Form(
            self.env["account.move"].with_user(self.biller).with_context(default_move_type="out_invoice")
        )
        form.partner_id = self.customer_po
        form.invoice_date = date(2026, 9, 1)
        with form.invoice_line_ids.new() as line:
            line.product_id = self.service
            line.price_unit = 100.0
            line.tax_ids.clear()
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_instruction_requires_the_po_number(self):
        self.assertFalse(self.customer_po.adv_requires_customer_ref, "only the invoicing instruction asks")
        invoice = self._draft()
        with self.assertRaises(UserError) as caught:
            invoice.with_user(self.biller).action_post()
        self.assertIn(PO_MESSAGE, str(caught.exception))
        self.assertEqual(invoice.state, "draft")
        self.assertIn("requires its purchase order number", invoice.adv_invoicing_warning)
        form = Form(invoice.with_user(self.biller))
        form.ref = "PO-778"
        form.save()
        invoice.with_user(self.biller).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_no_po_asked_no_check(self):
        self.instruction.po_required = False
        invoice = self._draft()
        invoice.with_user(self.biller).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_instruction_of_another_company_does_not_apply(self):
        other_company = self.env["res.company"].create({"name": "Filiale B"})
        self.instruction.po_required = False
        self.env["adv.billing.instruction"].create(
            {"partner_id": self.customer_po.id, "company_id": other_company.id, "po_required": True}
        )
        invoice = self._draft()
        invoice.with_user(self.biller).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_order_instructions_decide_for_its_invoice(self):
        """An order given other instructions than its customer's: its invoice follows the order's."""
        relaxed = self.env["adv.billing.instruction"].create(
            {"partner_id": self.customer.id, "company_id": self.company.id}
        )
        invoice = self._draft()
        invoice.sudo().adv_billing_instruction_id = relaxed  # as sale's invoicing writes it from the order
        invoice.with_user(self.biller).action_post()
        self.assertEqual(invoice.state, "posted")
        # On the order, billing close's PO blocker says it, once.
        order_form = Form(self.env["sale.order"].with_user(self.biller))
        order_form.partner_id = self.customer_po
        with order_form.order_line.new() as line:
            line.product_id = self.service
        order = order_form.save()
        self.assertEqual(order.adv_billing_instruction_id, self.instruction)
        codes = [b.code for b in order._adv_invoicing_blockers().get(order.id, [])]
        self.assertIn("po_missing", codes)
        self.assertNotIn("einvoice_po_reference", codes)

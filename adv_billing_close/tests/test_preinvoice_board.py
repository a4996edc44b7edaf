from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestPreinvoiceBoard(AdvBillingCommon):
    def test_amount_equals_native_invoicing(self):
        """The board's amount, its invoice and Odoo's own wizard on a twin order give the same figure."""
        order_a = self._make_order(fixed=True)
        order_b = self._make_order(fixed=True)
        for order in order_a | order_b:
            self._log(order, 10, self.in_period)
            self._log(order, 3, self.after_period)
        self._build()
        line_a, line_b = self._board_line(order_a), self._board_line(order_b)
        # 10 h in the period at 100 + the fixed fee; the 3 h after the period end wait.
        self.assertEqual(line_a.amount_to_invoice, 10 * 100 + 1200)
        self.assertEqual(line_b.amount_to_invoice, line_a.amount_to_invoice)
        self.assertEqual((line_a.state, line_a.category), ("ready", "easy"))

        line_a.with_user(self.adv_user).action_create_invoices()
        invoice_a = line_a.invoice_ids
        self.assertEqual(line_a.state, "invoiced")
        self.assertEqual(invoice_a.adv_billing_period_id, self.period)

        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order_b.ids)
            .create(
                {"advance_payment_method": "delivered", "date_end_invoice_timesheet": self.period.date_end}
            )
        )
        wizard.create_invoices()
        invoice_b = order_b.invoice_ids
        self.assertEqual(invoice_a.amount_untaxed, invoice_b.amount_untaxed)
        self.assertEqual(invoice_a.amount_untaxed, line_a.amount_to_invoice)

    def test_invoiced_lines_leave_the_amount_and_easy_first(self):
        small = self._make_order()
        big = self._make_order()
        blocked = self._make_order(partner=self.customer2)
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        blocked._compute_adv_billing_instruction_id()
        self._log(small, 2, self.in_period)
        self._log(big, 30, self.in_period)
        self._log(blocked, 50, self.in_period)
        self._build()
        lines = self.env["adv.preinvoice"].search([("order_id", "in", (small | big | blocked).ids)])
        self.assertEqual(lines.mapped("order_id"), big | small | blocked, "easy first, then by amount")

    def test_po_blockers(self):
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        order = self._make_order(partner=self.customer2)
        self.assertTrue(order.adv_billing_instruction_id.po_required)
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        self.assertEqual(line.category, "blocked")
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["po_missing"])
        self.assertIn("PO number missing", line.blocker_message)
        with self.assertRaisesRegex(UserError, "None of the selected lines is ready"):
            line.action_create_invoices()

        po = self.env["adv.customer.po"].create(
            {
                "name": "PO-1",
                "order_id": order.id,
                "date_end": self.period.date_start + relativedelta(days=5),
            }
        )
        line.action_refresh()
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["po_expired"])

        po.write({"date_end": False, "ceiling_type": "amount", "ceiling_amount": 500})
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer2.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_ts.id,
                            "quantity": 5,
                            "price_unit": 100,
                            "sale_line_ids": [Command.set(order.order_line.ids)],
                        }
                    )
                ],
            }
        ).action_post()
        self.assertEqual(po.consumed_percent, 100)
        line.action_refresh()
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["po_consumed"])
        po._check_consumption()
        self.assertEqual(po.alert_level, "100")

        po.ceiling_amount = 600
        po.alert_level = "none"
        po._check_consumption()
        self.assertEqual(po.alert_level, "80", "500 of 600 is above 80 %")
        line.action_refresh()
        # 100 left on the PO, 800 to invoice: a warning, the line stays ready.
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["po_ceiling"])
        self.assertIn("exceeds PO PO-1 by", line.warning_message)
        self.assertFalse(line.blocker_message, "a warning is not a blocker")
        self.assertEqual(line.state, "ready")

    def test_po_per_consultant(self):
        self.env["adv.billing.instruction"].create(
            {"partner_id": self.customer2.id, "po_required": True, "po_scope": "consultant"}
        )
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        self._log(order, 4, self.in_period, employee=self.employee2)
        self.env["adv.customer.po"].create(
            {"name": "PO-EMMA", "order_id": order.id, "employee_id": self.employee.id}
        )
        self._build()
        line = self._board_line(order)
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["po_missing"])
        self.assertIn(self.employee2.name, line.blocker_message)

    def test_timesheets_not_validated_blocker_only_when_collecting(self):
        order = self._make_order()
        self._log(order, 8, self.in_period)
        self._build()
        self.assertFalse(self._board_line(order).blocker_type_ids, "collection off: nothing blocks")
        self.company.adv_timesheet_collection = True
        self._build()
        line = self._board_line(order)
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["timesheet_not_validated"])
        self.assertEqual(line.state, "todo")

    def test_customer_validation(self):
        self.env["adv.billing.instruction"].create(
            {"partner_id": self.customer2.id, "customer_validation_required": True}
        )
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        self.assertEqual((line.category, line.state), ("validation", "todo"))
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["customer_validation"])
        line.action_customer_validated()
        self.assertEqual((line.category, line.state), ("easy", "ready"))

    def test_milestone_document(self):
        product = self.env["product.product"].create(
            {
                "name": "Milestone delivery",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "milestones",
                "service_tracking": "task_in_project",
                "list_price": 5000,
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        acceptance = self.env["adv.document.type"].create(
            {"name": "PV de recette", "code": "ADV_TEST_PVR", "scope": "order", "requirement": "info"}
        )
        milestone = self.env["project.milestone"].create(
            {
                "name": "Acceptance",
                "project_id": order.project_ids[:1].id,
                "sale_line_id": order.order_line.id,
                "quantity_percentage": 1,
                "adv_document_type_id": acceptance.id,
            }
        )
        with freeze_time(self.in_period):
            milestone.is_reached = True
            self.env.flush_all()
        self._build()
        line = self._board_line(order)
        self.assertEqual(line.amount_to_invoice, 5000)
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["milestone_document"])
        self.assertIn("PV de recette", line.blocker_message)
        self.assertIn("Acceptance", line.blocker_message, "the refusal names the milestone")
        document = self.env["adv.document"].create(
            {"type_id": acceptance.id, "partner_id": self.customer.id, "order_id": order.id}
        )
        milestone.adv_document_id = document
        line.action_refresh()
        self.assertEqual(line.category, "blocked", "a document still missing does not count")
        document.state = "received"
        line.action_refresh()
        self.assertEqual(line.state, "ready")

    def test_contract_document_blockers_from_order_control(self):
        """adv_order_control's invoicing hook feeds the board: block or warning per company setting."""
        self.env["adv.document.type"].create(
            {
                "name": "Signed framework contract",
                "code": "ADV_TEST_FW",
                "scope": "order",
                "requirement": "invoicing",
            }
        )
        self.company.adv_invoicing_gate = "block"
        order = self._make_order()
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        self.assertIn("missing_documents", line.blocker_type_ids.mapped("code"))
        self.assertEqual(line.category, "blocked")
        self.assertIn("Signed framework contract", line.blocker_message)
        self.company.adv_invoicing_gate = "warning"
        line.action_refresh()
        self.assertEqual((line.category, line.state), ("easy", "ready"))
        self.assertIn("Signed framework contract", line.warning_message)

    def test_instructions_on_invoice(self):
        instruction = self.env["adv.billing.instruction"].create(
            {
                "partner_id": self.customer2.id,
                "portal": "chorus_pro",
                "timesheet_attachment_required": True,
                "mandatory_mentions": "Service code SC-042",
                "po_required": True,
            }
        )
        order = self._make_order(partner=self.customer2)
        self.env["adv.customer.po"].create({"name": "PO-777", "order_id": order.id})
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        self.assertIn("Chorus Pro", line.instruction_summary)
        line.action_create_invoices()
        invoice = line.invoice_ids
        self.assertEqual(invoice.adv_billing_instruction_id, instruction)
        self.assertIn("SC-042", str(invoice.narration))
        self.assertEqual(invoice.ref, "PO-777")
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
            )
        )
        self.assertTrue(invoice.adv_portal_upload_required)
        with self.assertRaises(UserError):
            invoice.action_adv_mark_uploaded()
        invoice.action_post()
        invoice.action_adv_mark_uploaded()
        self.assertTrue(invoice.adv_portal_uploaded_on)

    def test_order_instruction_override(self):
        instruction = self.env["adv.billing.instruction"].create(
            {"partner_id": self.customer2.id, "po_required": True}
        )
        order = self._make_order(partner=self.customer2)
        self.assertEqual(order.adv_billing_instruction_id, instruction)
        order.adv_billing_instruction_id = False
        self._log(order, 8, self.in_period)
        self._build()
        self.assertFalse(
            self._board_line(order).blocker_type_ids, "the order overrides its customer's instructions"
        )

    def test_any_adv_user_builds_the_whole_board(self):
        own_documents_only = new_test_user(
            self.env, "adv_billing_own", groups="adv_order_control.group_adv_user"
        )
        order = self._make_order()
        self._log(order, 8, self.in_period)
        self.env["adv.preinvoice"].with_user(own_documents_only)._build_board(self.period)
        self.assertEqual(self._board_line(order).amount_to_invoice, 800)
        with self.assertRaises(AccessError):
            self.env["adv.preinvoice"].with_user(self.emp_user)._build_board(self.period)

    def test_defer_needs_reason_and_access(self):
        order = self._make_order()
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        with self.assertRaises(UserError):
            line._defer(" ")
        with self.assertRaises(AccessError):
            line.with_user(self.salesman).write({"state": "deferred"})
        line.with_user(self.adv_user)._defer("Customer asked to invoice with next month")
        self.assertEqual(line.state, "deferred")
        self._build()
        self.assertEqual(line.state, "deferred", "a rebuild keeps what people decided")


@tagged("post_install", "-at_install")
class TestPreinvoiceReasonsLanguage(AdvBillingCommon):
    def test_reasons_read_in_the_reader_language(self):
        """Built once (by the cron, in English), the board's reasons read in each user's language."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        self.env["adv.preinvoice"].with_context(lang="en_US")._build_board(self.period)
        line = self._board_line(order)
        self.assertIn("en_US", line.blocker_messages)
        self.assertIn("fr_FR", line.blocker_messages)
        self.assertIn("Customer PO number missing", line.with_context(lang="en_US").blocker_message)
        french = line.with_user(self.adv_user).with_context(lang="fr_FR")
        self.assertIn("Numéro de bon de commande client manquant", french.blocker_message)
        self.assertFalse(french.warning_message)

    def test_reason_of_another_module_is_named_in_every_language(self):
        """A reason code first met on the board (here adv_order_control's missing documents) gets a type
        named by that module, in each installed language."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["adv_order_control"], ["fr_FR"], overwrite=True)
        self.env["adv.blocker.type"].search([("code", "=", "missing_documents")]).unlink()
        self.env["adv.document.type"].create(
            {
                "name": "Signed framework contract",
                "code": "ADV_TEST_FW",
                "scope": "order",
                "requirement": "invoicing",
            }
        )
        order = self._make_order()
        self._log(order, 8, self.in_period)
        self.env["adv.preinvoice"].with_context(lang="en_US")._build_board(self.period)
        reason = self._board_line(order).blocker_type_ids.filtered(lambda t: t.code == "missing_documents")
        self.assertEqual(reason.with_context(lang="en_US").name, "Missing documents")
        self.assertEqual(
            reason.with_user(self.adv_user).with_context(lang="fr_FR").name, "Documents manquants"
        )

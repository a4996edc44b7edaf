from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.adv_order_control.tests.common import AdvRpcCase

from .common import AdvBillingCommon

# Keys that used to lift a check, and a forged cut-off: none of them changes what the gate decides.
OLD_KEYS = {"adv_checks_done": True, "send_email": True, "adv_invoicing_date": "2000-01-01"}


@tagged("post_install", "-at_install")
class TestInvoicingGate(AdvBillingCommon):
    """Board, Odoo's Create Invoice wizard and posting agree on billing close's blockers."""

    def _require_po(self, partner=None, **values):
        return self.env["adv.billing.instruction"].create(
            {"partner_id": (partner or self.customer2).id, "po_required": True, **values}
        )

    def _draft_invoice(self, order):
        """A draft invoice of what the order has to invoice, made by Odoo as a salesperson would."""
        return order.sudo()._create_invoices().sudo(False)

    # ------------------------------------------------------------------ customer PO
    def test_po_missing_refused_by_wizard_and_posting(self):
        self._require_po()
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        self.assertEqual(line.category, "blocked")
        with self.assertRaisesRegex(UserError, "None of the selected lines is ready"):
            line.with_user(self.adv_user).action_create_invoices()

        wizard = self._invoice_wizard(order, self.adv_user)
        self.assertIn("PO number missing", wizard.adv_invoicing_warning)
        with self.assertRaisesRegex(UserError, "PO number missing"):
            wizard.with_context(**OLD_KEYS).create_invoices()

        invoice = self._draft_invoice(order)
        with self.assertRaisesRegex(UserError, "PO number missing"):
            invoice.with_user(self.adv_user).with_context(**OLD_KEYS).action_post()
        self.assertEqual(invoice.state, "draft")

        self.env["adv.customer.po"].create({"name": "PO-9", "order_id": order.id})
        invoice.with_user(self.adv_user).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_po_expired_judged_at_the_wizard_end_date(self):
        """The wizard judges the PO at the date up to which it invoices the timesheets."""
        self._require_po()
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        self.env["adv.customer.po"].create(
            {"name": "PO-OLD", "order_id": order.id, "date_end": self.period.date_end}
        )
        wizard = self._invoice_wizard(order, self.adv_user)
        with self.assertRaisesRegex(UserError, "expired"):
            wizard.create_invoices()
        wizard = self._invoice_wizard(order, self.adv_user, date_end_invoice_timesheet=self.period.date_end)
        wizard.create_invoices()
        invoice = order.invoice_ids
        self.assertEqual(invoice.invoice_line_ids.quantity, 8)
        # Posting judges it at its latest timesheet: the PO covered it.
        invoice.with_user(self.adv_user).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_po_ceiling_warning_counts_drafts(self):
        """PO 50,000, 48,000 invoiced (a draft counts), 4,000 to invoice: exceeds the PO by 2,000."""
        self._require_po()
        order = self._make_order(partner=self.customer2, hours_qty=500)
        po = self.env["adv.customer.po"].create(
            {"name": "PO-50K", "order_id": order.id, "ceiling_type": "amount", "ceiling_amount": 50000}
        )
        previous = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer2.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_ts.id,
                            "quantity": 1,
                            "price_unit": 48000,
                            "tax_ids": [Command.clear()],
                            "sale_line_ids": [Command.set(order.order_line.ids)],
                        }
                    )
                ],
            }
        )
        self.assertEqual(previous.state, "draft")
        self.assertEqual(po.consumed, 48000, "a draft invoice consumes its PO")
        self._log(order, 40, self.in_period)
        self.env["adv.preinvoice"].with_user(self.adv_user)._build_board(self.period)
        line = self._board_line(order)
        self.assertEqual(line.amount_to_invoice, 4000)
        self.assertEqual((line.category, line.state), ("easy", "ready"), "a warning does not block")
        self.assertEqual(line.blocker_type_ids.mapped("code"), ["po_ceiling"])
        self.assertIn("exceeds PO PO-50K by", line.warning_message)
        self.assertIn("2,000.00", line.warning_message)

        # Odoo's wizard warns the same way; the draft it makes says it again, and posts (a warning).
        wizard = self._invoice_wizard(order, self.adv_user, date_end_invoice_timesheet=self.period.date_end)
        self.assertIn("exceeds PO PO-50K by", wizard.adv_invoicing_warning)
        wizard.create_invoices()
        invoice = order.invoice_ids - previous
        self.assertEqual(invoice.amount_untaxed, 4000)
        self.assertIn("exceeds PO PO-50K by", invoice.adv_invoicing_warning)
        self.assertNotIn("fully consumed", invoice.adv_invoicing_warning)
        invoice.with_user(self.adv_user).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(po.alert_level, "100", "posting alerts at once: 52,000 of 50,000")

    def test_po_alerts_fire_when_posting(self):
        self._require_po()
        order = self._make_order(partner=self.customer2)
        po = self.env["adv.customer.po"].create(
            {"name": "PO-1K", "order_id": order.id, "ceiling_type": "amount", "ceiling_amount": 1000}
        )
        self._log(order, 9, self.in_period)
        self._build()
        line = self._board_line(order)
        line.with_user(self.adv_user).action_create_invoices()
        self.assertEqual(po.alert_level, "none", "a draft alone does not alert")
        line.invoice_ids.with_user(self.adv_user).action_post()
        self.assertEqual(po.alert_level, "80", "900 of 1,000 posted: alerted at once, not by the next cron")
        self.assertTrue(po.activity_ids)
        self.assertIn("PO-1K", order.message_ids[:1].body)

    # ------------------------------------------------------------------ timesheets, customer validation
    def test_unvalidated_timesheets_refused_by_wizard(self):
        self.company.adv_timesheet_collection = True
        order = self._make_order()
        timesheet = self._log(order, 8, self.in_period)
        self._build()
        self.assertEqual(self._board_line(order).category, "blocked")
        wizard = self._invoice_wizard(order, self.adv_user)
        with self.assertRaisesRegex(UserError, "not validated"):
            wizard.with_context(**OLD_KEYS).create_invoices()
        timesheet.sudo().write({"adv_validated": True})
        self._invoice_wizard(order, self.adv_user).create_invoices()
        order.invoice_ids.with_user(self.adv_user).action_post()
        self.assertEqual(order.invoice_ids.state, "posted")

    def test_customer_validation_refused_by_wizard_until_validated_on_board(self):
        self.env["adv.billing.instruction"].create(
            {"partner_id": self.customer2.id, "customer_validation_required": True}
        )
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        self.assertEqual(line.category, "validation")
        wizard = self._invoice_wizard(order, self.adv_user, date_end_invoice_timesheet=self.period.date_end)
        with self.assertRaisesRegex(UserError, "customer has not validated"):
            wizard.create_invoices()
        line.with_user(self.adv_user).action_customer_validated()
        self.assertEqual(line.category, "easy")
        wizard.create_invoices()
        order.invoice_ids.with_user(self.adv_user).action_post()
        self.assertEqual(order.invoice_ids.state, "posted")

    # ------------------------------------------------------------------ credit notes
    def test_credited_timesheets_come_back_to_the_board(self):
        """As in Odoo: timesheets of an invoice credited in full are to invoice again."""
        order = self._make_order()
        self._log(order, 10, self.in_period)
        self._build()
        line = self._board_line(order)
        line.with_user(self.adv_user).action_create_invoices()
        invoice = line.invoice_ids
        invoice.with_user(self.adv_user).action_post()
        line.with_user(self.adv_user).action_refresh()
        self.assertEqual(line.state, "invoiced")

        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.adv_user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Wrong rate"})
        )
        reversal.refund_moves()
        credit_note = invoice.reversal_move_ids
        credit_note.with_user(self.adv_user).action_post()
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(invoice.payment_state, "reversed")

        line.with_user(self.adv_user).action_refresh()
        self.assertEqual((line.state, line.amount_to_invoice), ("ready", 1000))
        line.with_user(self.adv_user).action_create_invoices()
        self.assertEqual(line.invoice_ids.amount_untaxed, 1000)
        self.assertEqual(line.invoice_ids.timesheet_ids.unit_amount, 10)

    # ------------------------------------------------------------------ milestones
    def _acceptance_file(self, name):
        return self.env["ir.attachment"].create({"name": name, "raw": b"%PDF-1.4 " + name.encode()})

    def _acceptance_document(self, order, doc_type, *files):
        """The order's document of ``doc_type`` (one per order and type), received with ``files``."""
        Document = self.env["adv.document"]
        document = Document.search([("order_id", "=", order.id), ("type_id", "=", doc_type.id)])
        document = document or Document.create(
            {"type_id": doc_type.id, "partner_id": order.partner_id.id, "order_id": order.id}
        )
        document.attachment_ids = [Command.set([f.id for f in files])]
        return document

    def test_wizard_applies_the_milestone_document_rule(self):
        acceptance = self._acceptance_type()
        order, milestone = self._milestone_order(lots=("Acceptance lot 1",))
        milestone.adv_document_type_id = acceptance
        milestone.is_reached = True
        wizard = self._invoice_wizard(order, self.adv_user)
        self.assertIn("Milestone Acceptance lot 1", wizard.adv_invoicing_warning)
        with self.assertRaisesRegex(
            UserError, "Milestone Acceptance lot 1 needs its own document 'PV de recette'"
        ):
            wizard.with_context(**OLD_KEYS).create_invoices()
        self.assertFalse(order.invoice_ids)
        document = self._acceptance_document(order, acceptance, self._acceptance_file("PV.pdf"))
        self.assertEqual(document.state, "received")
        # The order's only milestone needing a PV: its document is this milestone's.
        wizard.create_invoices()
        order.invoice_ids.with_user(self.adv_user).action_post()
        self.assertEqual(order.invoice_ids.amount_untaxed, 5000)

    def test_pv_of_lot_1_does_not_unlock_lot_2(self):
        acceptance = self._acceptance_type()
        order, (lot1, lot2) = self._milestone_order(lots=("Lot 1", "Lot 2"), price=10000)
        (lot1 | lot2).write({"adv_document_type_id": acceptance.id})
        with freeze_time(self.in_period):
            (lot1 | lot2).write({"is_reached": True})
            self.env.flush_all()
        pv1 = self._acceptance_file("PV lot 1.pdf")
        document = self._acceptance_document(order, acceptance, pv1)
        self.assertEqual(lot2.adv_document_id, document)
        # The project manager says which received PV accepts which lot.
        project_user = new_test_user(self.env, "adv_billing_pm", groups="project.group_project_user")
        lot1.with_user(project_user).adv_acceptance_id = pv1
        with self.assertRaises(ValidationError):
            lot2.with_user(project_user).adv_acceptance_id = pv1
        self.env["adv.preinvoice"].with_user(self.adv_user)._build_board(self.period)
        line = self._board_line(order)
        self.assertEqual(line.amount_to_invoice, 10000)
        self.assertEqual(line.category, "blocked")
        self.assertIn("Milestone Lot 2 needs its own document 'PV de recette'", line.blocker_message)
        self.assertNotIn("Lot 1", line.blocker_message)
        with self.assertRaisesRegex(UserError, "Milestone Lot 2"):
            self._invoice_wizard(order, self.adv_user).create_invoices()

        pv2 = self._acceptance_file("PV lot 2.pdf")
        document.attachment_ids = [Command.link(pv2.id)]
        with self.assertRaises(ValidationError):
            lot2.with_user(project_user).adv_acceptance_id = self._acceptance_file("Elsewhere.pdf")
        lot2.with_user(project_user).adv_acceptance_id = pv2
        line.with_user(self.adv_user).action_refresh()
        self.assertEqual(line.state, "ready")

    def test_milestone_reached_after_period_end_waits_for_next_period(self):
        acceptance = self._acceptance_type()
        order, (lot1, lot2) = self._milestone_order(lots=("Lot 1", "Lot 2"), price=10000)
        (lot1 | lot2).write({"adv_document_type_id": acceptance.id})
        with freeze_time(self.in_period):
            lot1.is_reached = True
            self.env.flush_all()
        with freeze_time(self.period.date_end + relativedelta(days=1)):
            lot2.is_reached = True
            self.env.flush_all()
        pv1 = self._acceptance_file("PV lot 1.pdf")
        self._acceptance_document(order, acceptance, pv1)
        lot1.adv_acceptance_id = pv1
        self.env["adv.preinvoice"].with_user(self.adv_user)._build_board(self.period)
        line = self._board_line(order)
        self.assertEqual(line.amount_to_invoice, 5000, "lot 2 was reached after the period end")
        self.assertEqual(line.state, "ready", "lot 2's missing PV is next period's business")
        line.with_user(self.adv_user).action_create_invoices()
        invoice = line.invoice_ids
        self.assertEqual(invoice.amount_untaxed, 5000)
        invoice.with_user(self.adv_user).action_post()
        self.assertEqual(invoice.state, "posted")

        # Odoo's own wizard invoices every reached milestone: lot 2 needs its PV there.
        with self.assertRaisesRegex(UserError, "Milestone Lot 2"):
            self._invoice_wizard(order, self.adv_user).create_invoices()

    def test_fae_leaves_out_milestone_reached_after_period_end(self):
        order, (lot1, lot2) = self._milestone_order(lots=("Lot 1", "Lot 2"), price=10000)
        with freeze_time(self.in_period):
            lot1.is_reached = True
            self.env.flush_all()
        with freeze_time(self.period.date_end + relativedelta(days=1)):
            lot2.is_reached = True
            self.env.flush_all()
        self.period.action_start_invoicing()
        self.period.with_user(self.adv_manager).action_close()
        row = self.period.accrual_ids.filtered(lambda r: r.order_id == order)
        self.assertEqual(row.fae_amount, 5000)

    # ------------------------------------------------------------------ deferral
    def test_ageing_report_shows_the_deferral_reason(self):
        order = self._make_order()
        self._log(order, 8, self.in_period)
        self._build()
        line = self._board_line(order)
        action = line.with_user(self.adv_user).action_defer()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.adv_user).with_context(**action["context"])
        )
        wizard_form.reason = "Customer asked to invoice with next month"
        wizard_form.save().action_confirm()
        self.assertEqual(line.state, "deferred")
        self.env.flush_all()
        row = self.env["adv.fae.ageing.report"].with_user(self.adv_user).search([("order_id", "=", order.id)])
        self.assertEqual(row.defer_reason, "Customer asked to invoice with next month")

    def test_billing_period_of_an_invoice_is_the_board_s(self):
        order = self._make_order()
        self._log(order, 8, self.in_period)
        invoice = self._draft_invoice(order)
        with self.assertRaises(AccessError):
            invoice.with_user(self.adv_user).write({"adv_billing_period_id": self.period.id})


@tagged("post_install", "-at_install")
class TestCustomerPoAccess(AdvRpcCase, AdvBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesman = new_test_user(
            cls.env, "adv_billing_sales2", groups="sales_team.group_sale_salesman", name="Sue"
        )
        order = cls._make_order(user=cls.other_salesman)
        cls.other_po = cls.env["adv.customer.po"].create({"name": "PO-SUE", "order_id": order.id})
        own = cls._make_order()
        cls.own_po = cls.env["adv.customer.po"].create({"name": "PO-SAM", "order_id": own.id})

    def test_salesperson_reads_own_orders_pos_only(self):
        self.assertEqual(self.own_po.with_user(self.salesman).read(["name"])[0]["name"], "PO-SAM")
        with self.assertRaises(AccessError):
            self.other_po.with_user(self.salesman).read(["name"])
        visible = self.env["adv.customer.po"].with_user(self.salesman).search([])
        self.assertIn(self.own_po, visible)
        self.assertNotIn(self.other_po, visible)
        self.assertIn(self.other_po, self.env["adv.customer.po"].with_user(self.adv_user).search([]))

    def test_salesperson_refused_over_xmlrpc(self):
        self.assertRpcRefused(
            self.salesman,
            "adv.customer.po",
            "read",
            [self.other_po.id],
            ["name", "ceiling_amount"],
            error="adv.customer.po",
            context={"adv_checks_done": True},
        )
        self.assertRpcRefused(
            self.salesman,
            "adv.customer.po",
            "write",
            [self.other_po.id],
            {"name": "MINE"},
            error="adv.customer.po",
        )
        found = self.rpc(self.salesman, "adv.customer.po", "search", [])
        self.assertIn(self.own_po.id, found)
        self.assertNotIn(self.other_po.id, found)

    def test_closed_board_frozen_whatever_the_context(self):
        """``adv_board_build`` in the context no longer lets anyone write a closed period's board."""
        self._log(self.own_po.order_id, 8, self.in_period)
        self.env["adv.preinvoice"]._build_board(self.period)
        line = self._board_line(self.own_po.order_id)
        self.period.with_user(self.adv_manager).action_close()
        with self.assertRaisesRegex(UserError, "frozen"):
            line.with_user(self.adv_user).with_context(adv_board_build=True).write({"state": "deferred"})
        self.assertRpcRefused(
            self.adv_user,
            "adv.preinvoice",
            "write",
            [line.id],
            {"state": "deferred"},
            error="frozen",
            context={"adv_board_build": True},
        )
        self.assertEqual(line.state, "ready")

    def test_salesperson_cannot_lift_the_po_rule(self):
        """A salesperson neither drops their order's instructions (the PO rule) nor marks a PO alerted."""
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        order = self._make_order(partner=self.customer2)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"adv_billing_instruction_id": False})
        self.assertRpcRefused(
            self.salesman,
            "sale.order",
            "write",
            [order.id],
            {"adv_billing_instruction_id": False},
            error="Only the ADV team",
            context={"adv_checks_done": True},
        )
        self.assertTrue(order.adv_billing_instruction_id.po_required)
        self.assertRpcRefused(
            self.salesman,
            "adv.customer.po",
            "write",
            [self.own_po.id],
            {"alert_level": "100"},
            error="Alert Level",
        )
        # The ADV team may override them for an order.
        self.rpc(self.adv_user, "sale.order", "write", [order.id], {"adv_billing_instruction_id": False})
        self.assertFalse(order.adv_billing_instruction_id)

    def test_board_decisions_are_the_board_s(self):
        """An ADV user cannot mark a blocked line easy (or invoiced) by writing it: the board decides,
        and Create Invoices judges the lines again before invoicing."""
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        self.env["adv.preinvoice"].with_user(self.adv_user)._build_board(self.period)
        line = self._board_line(order)
        self.assertEqual(line.category, "blocked")
        with self.assertRaises(AccessError):
            line.with_user(self.adv_user).write({"category": "easy", "state": "ready"})
        self.assertRpcRefused(
            self.adv_user,
            "adv.preinvoice",
            "write",
            [line.id],
            {"category": "easy"},
            error="Category",
            context={"adv_board_build": True, "adv_checks_done": True},
        )
        # Even a line made easy behind the board's back is judged again by the button.
        line.sudo().write({"category": "easy", "state": "ready"})
        with self.assertRaisesRegex(UserError, "None of the selected lines is ready"):
            line.with_user(self.adv_user).action_create_invoices()
        self.assertFalse(order.invoice_ids)
        self.assertEqual(line.category, "blocked")

    def test_invoicing_refused_over_xmlrpc(self):
        """Odoo's wizard and posting refuse a PO-less order over the external API, old keys or not."""
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        order = self._make_order(partner=self.customer2)
        self._log(order, 8, self.in_period)
        context = {"active_model": "sale.order", "active_ids": order.ids, "active_id": order.id, **OLD_KEYS}
        wizard_id = self.rpc(
            self.adv_user,
            "sale.advance.payment.inv",
            "create",
            {"advance_payment_method": "delivered", "date_end_invoice_timesheet": "2000-01-01"},
            context=context,
        )
        self.assertRpcRefused(
            self.adv_user,
            "sale.advance.payment.inv",
            "create_invoices",
            [wizard_id],
            error="PO number missing",
            context=context,
        )
        invoice = order.sudo()._create_invoices()
        self.assertRpcRefused(
            self.adv_user,
            "account.move",
            "action_post",
            [invoice.id],
            error="PO number missing",
            context=OLD_KEYS,
        )
        self.assertEqual(invoice.state, "draft")

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.adv_order_control.tests.common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestCommissionHold(AdvOrderControlCommon):
    """Settlements made through OCA's own wizard, by a commission manager who cannot read sale orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require(cls.po_type)
        cls.commission = cls.env["commission"].create({"name": "10% of sales", "fix_qty": 10.0})
        cls.agent = cls.env["res.partner"].create(
            {
                "name": "ADV test agent",
                "agent": True,
                "settlement": "monthly",
                "commission_id": cls.commission.id,
            }
        )
        cls.settler = new_test_user(
            cls.env,
            "adv_commission_settler",
            groups="commission_oca.group_commission_manager,account.group_account_invoice",
        )

    def _confirmed_order(self):
        """An order missing its purchase order, confirmed by the ADV team without a wizard: provisional."""
        order = self._order()
        order.order_line.agent_ids = [
            Command.create({"agent_id": self.agent.id, "commission_id": self.commission.id})
        ]
        order.with_user(self.adv_user).action_confirm()
        self.assertEqual(order.adv_contract_status, "provisional")
        self.assertFalse(order.adv_commissionable)
        return order

    def _receive_documents(self, order):
        """The ADV team receives and validates the missing purchase order: the order turns complete."""
        order.adv_checklist_ids.with_user(self.adv_user).action_original_seen()
        order.adv_checklist_ids.with_user(self.adv_user).action_validate()
        self.assertEqual(order.adv_contract_status, "complete")
        self.assertTrue(order.adv_commissionable)

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _settle(self):
        """Settle the agent's commissions up to next month (Commissions › Settle Commissions, sales invoices)
        as the settler; return the agent's settlement lines."""
        form = Form(self.env["commission.make.settle"].with_user(self.settler))
        # A monthly agent is settled up to the start of the month of this date: today's invoices are in.
        form.date_to = fields.Date.today() + relativedelta(months=1)
        form.settlement_type = "sale_invoice"
        form.agent_ids.add(self.agent)
        form.save().action_settle()
        return self.env["commission.settlement.line"].search([("settlement_id.agent_id", "=", self.agent.id)])

    def test_provisional_order_commission_waits_for_documents(self):
        order = self._confirmed_order()
        agent_line = self._invoice(order).invoice_line_ids.agent_ids
        self.assertEqual(agent_line.agent_id, self.agent)
        self.assertAlmostEqual(agent_line.amount, 80.0)
        # Another order of the same agent, whose purchase order has come in, is settled in the same run.
        complete = self._confirmed_order()
        self._receive_documents(complete)
        complete_line = self._invoice(complete).invoice_line_ids.agent_ids

        lines = self._settle()
        self.assertEqual(
            lines.invoice_agent_line_id, complete_line, "the provisional order's line is left out"
        )
        self.assertFalse(agent_line.settled, "and stays to settle later")

        self._receive_documents(order)
        lines = self._settle()
        self.assertEqual(lines.invoice_agent_line_id, agent_line | complete_line)
        self.assertAlmostEqual(
            lines.filtered(lambda sl: sl.invoice_agent_line_id == agent_line).settled_amount, 80.0
        )
        self.assertTrue(agent_line.settled)

    def test_waived_documents_release_the_commission(self):
        order = self._confirmed_order()
        agent_line = self._invoice(order).invoice_line_ids.agent_ids
        self.assertFalse(self._settle())

        # An ADV Manager waives the missing purchase order (the document's Waive button).
        action = order.adv_checklist_ids.with_user(self.adv_manager).action_open_waive_wizard()
        form = Form(
            self.env[action["res_model"]].with_user(self.adv_manager).with_context(**action["context"])
        )
        form.reason = "Framework agreement: no purchase order"
        form.save().action_waive()
        self.assertTrue(order.adv_commissionable)
        lines = self._settle()
        self.assertEqual(lines.invoice_agent_line_id, agent_line)
        self.assertAlmostEqual(lines.settled_amount, 80.0)

    def test_credit_note_of_settled_commission_is_not_held(self):
        order = self._confirmed_order()
        self._receive_documents(order)
        invoice = self._invoice(order)
        self.assertEqual(self._settle().invoice_agent_line_id, invoice.invoice_line_ids.agent_ids)

        # The order is cancelled once invoiced and settled: no longer commissionable, but the credit
        # note must claw the commission back.
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(order.adv_commissionable)
        refund = invoice._reverse_moves([{"invoice_date": invoice.invoice_date}])
        refund.action_post()
        refund_line = refund.invoice_line_ids.agent_ids
        self.assertEqual(refund_line.agent_id, self.agent)
        self._settle()
        self.assertTrue(refund_line.settled)
        self.assertAlmostEqual(refund_line.settlement_line_ids.settled_amount, -80.0)

    def test_credit_note_of_unsettled_commission_stays_held(self):
        """The credit note of a provisional order's invoice, whose commission was never paid, is not
        settled alone: the agent would be charged back for a commission never paid."""
        order = self._confirmed_order()
        invoice = self._invoice(order)
        refund = invoice._reverse_moves([{"invoice_date": invoice.invoice_date}])
        refund.action_post()
        self.assertFalse(self._settle())
        self.assertFalse(refund.invoice_line_ids.agent_ids.settled)

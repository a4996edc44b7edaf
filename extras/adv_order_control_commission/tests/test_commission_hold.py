from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.adv_order_control.tests.common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestCommissionHold(AdvOrderControlCommon):
    """Runs only where OCA's commission modules are installed, as this module does."""

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

    def _confirmed_order(self):
        """An order missing its purchase order, confirmed without a wizard: provisional."""
        order = self._order()
        order.order_line.agent_ids = [
            Command.create({"agent_id": self.agent.id, "commission_id": self.commission.id})
        ]
        order.with_user(self.adv_user).action_confirm()
        return order

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _settle(self):
        """Run the settlement wizard for the agent; return all its settlement lines."""
        wizard = self.env["commission.make.settle"].create(
            {
                # A monthly agent is settled up to the start of the month of this date.
                "date_to": fields.Date.today() + relativedelta(months=1),
                "agent_ids": [Command.set(self.agent.ids)],
                "settlement_type": "sale_invoice",
            }
        )
        wizard.action_settle()
        return self.env["commission.settlement.line"].search([("settlement_id.agent_id", "=", self.agent.id)])

    def test_provisional_order_commission_waits_for_documents(self):
        order = self._confirmed_order()
        self.assertEqual(order.adv_contract_status, "provisional")
        self.assertFalse(order.adv_commissionable)
        invoice = self._invoice(order)
        agent_line = invoice.invoice_line_ids.agent_ids
        self.assertEqual(agent_line.agent_id, self.agent)
        self.assertAlmostEqual(agent_line.amount, 80.0)

        self.assertFalse(self._settle(), "a provisional order's commission is not settled")
        self.assertFalse(self.env["commission.settlement"].search([("agent_id", "=", self.agent.id)]))
        self.assertFalse(agent_line.settled, "the line stays to settle later")

        order.adv_checklist_ids.with_user(self.adv_user).action_original_seen()
        order.adv_checklist_ids.with_user(self.adv_user).action_validate()
        self.assertEqual(order.adv_contract_status, "complete")
        self.assertTrue(order.adv_commissionable)
        lines = self._settle()
        self.assertEqual(lines.invoice_agent_line_id, agent_line)
        self.assertAlmostEqual(lines.settled_amount, 80.0)
        self.assertTrue(agent_line.settled)

    def test_credit_note_of_settled_commission_is_not_held(self):
        order = self._confirmed_order()
        order.adv_checklist_ids.with_user(self.adv_user).action_original_seen()
        order.adv_checklist_ids.with_user(self.adv_user).action_validate()
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

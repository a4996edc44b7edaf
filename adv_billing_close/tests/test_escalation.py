from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestEscalation(AdvBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"adv_unbilled_manager_id": cls.adv_manager.id, "adv_unbilled_finance_id": cls.finance_user.id}
        )
        cls.env["adv.billing.instruction"].create({"partner_id": cls.customer2.id, "po_required": True})
        cls.blocked_order = cls._make_order(partner=cls.customer2)
        cls.ready_order = cls._make_order()
        cls._log(cls.blocked_order, 8, cls.in_period)
        cls._log(cls.ready_order, 8, cls.in_period)
        cls.env["adv.preinvoice"]._build_board(cls.period, orders=cls.blocked_order | cls.ready_order)

    def _escalate_on(self, day):
        with freeze_time(day):
            self.env["adv.preinvoice"]._cron_escalate()

    def test_levels_and_owners(self):
        blocked, ready = self._board_line(self.blocked_order), self._board_line(self.ready_order)
        deadline = self.period.invoicing_deadline
        self._escalate_on(deadline)
        self.assertEqual(blocked.state, "todo", "not late on the deadline itself")
        self._escalate_on(deadline + relativedelta(days=1))
        self.assertEqual((blocked.state, blocked.escalation_level), ("escalated", 1))
        self.assertEqual(blocked.escalation_reason_id.code, "po_missing")
        self.assertEqual(blocked.escalation_owner_id, self.salesman, "a PO is the salesperson's job")
        self.assertEqual(ready.escalation_reason_id.code, "not_invoiced")
        self.assertEqual(ready.escalation_owner_id, self.adv_manager)
        self.assertEqual(blocked.activity_ids.user_id, self.salesman)

        self._escalate_on(deadline + relativedelta(days=2))
        self.assertEqual(blocked.escalation_level, 1, "a level lasts its days")
        self._escalate_on(deadline + relativedelta(days=5))
        self.assertEqual((blocked.escalation_level, blocked.escalation_owner_id), (2, self.adv_manager))
        self._escalate_on(deadline + relativedelta(days=9))
        self.assertEqual((blocked.escalation_level, blocked.escalation_owner_id), (3, self.finance_user))
        self._escalate_on(deadline + relativedelta(days=20))
        self.assertEqual(blocked.escalation_level, 3, "finance is the last level")

        self.env.flush_all()
        ageing = self.env["adv.fae.ageing.report"].search([("order_id", "=", self.blocked_order.id)])
        self.assertEqual(ageing.reason_id.code, "po_missing")
        self.assertEqual(ageing.owner_id, self.finance_user)
        self.assertEqual(ageing.amount, 800)

    def test_escalated_line_can_still_be_invoiced(self):
        self._escalate_on(self.period.invoicing_deadline + relativedelta(days=1))
        ready = self._board_line(self.ready_order)
        self.assertEqual(ready.state, "escalated")
        ready.action_create_invoices()
        self.assertEqual(ready.state, "invoiced")
        self.assertFalse(ready.activity_ids)

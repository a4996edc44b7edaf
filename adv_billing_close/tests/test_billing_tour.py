from odoo.tests import HttpCase, tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestBillingTour(HttpCase, AdvBillingCommon):
    def test_board_tour(self):
        self.env["adv.billing.instruction"].create({"partner_id": self.customer2.id, "po_required": True})
        ready = self._make_order()
        blocked = self._make_order(partner=self.customer2)
        self._log(ready, 6, self.in_period)
        self._log(blocked, 9, self.in_period)
        self.env["adv.preinvoice"]._build_board(self.period, orders=ready | blocked)
        self.start_tour(
            "/odoo/action-adv_billing_close.action_adv_preinvoice", "adv_billing_board_tour", login="admin"
        )
        self.assertEqual(self._board_line(ready).state, "invoiced")
        self.assertEqual(self._board_line(blocked).state, "todo")

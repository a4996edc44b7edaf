from odoo import Command
from odoo.tests import tagged

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestUnsignedDealReport(AdvOrderControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require(cls.po_type)
        cls.day = cls.env.ref("uom.product_uom_day")
        cls.hour = cls.env.ref("uom.product_uom_hour")
        cls.day_product = cls.env["product.product"].create(
            {
                "name": "Consulting (per day)",
                "type": "service",
                "uom_id": cls.day.id,
                "uom_po_id": cls.day.id,
                "list_price": 750.0,
            }
        )
        plan = cls.env["account.analytic.plan"].create({"name": "ADV test plan"})
        cls.analytic = cls.env["account.analytic.account"].create({"name": "ADV test", "plan_id": plan.id})

    def _log(self, line, hours, uom=None):
        self.env["account.analytic.line"].create(
            {
                "name": "work",
                "account_id": self.analytic.id,
                "so_line": line.id,
                "unit_amount": hours,
                "product_uom_id": (uom or self.hour).id,
            }
        )

    def _report(self, order):
        self.env.flush_all()
        self.env.invalidate_all()
        return (
            self.env["adv.unsigned.deal.report"]
            .with_user(self.adv_user)
            .search([("order_id", "=", order.id)])
        )

    def test_hours_converted_into_the_line_unit(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.day_product.id,
                            "product_uom": self.day.id,
                            "product_uom_qty": 10,
                            "price_unit": 750.0,
                        }
                    ),
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 100.0}
                    ),
                ],
            }
        )
        order.with_user(self.adv_user).action_confirm()
        self.assertEqual(order.adv_contract_status, "provisional")
        day_line, unit_line = order.order_line
        self._log(day_line, 8.0)
        self._log(day_line, 4.0)
        row = self._report(order)
        self.assertAlmostEqual(row.hours_logged, 12.0)
        # 12 h = 1.5 days at 750 a day, as Odoo's delivered quantity counts them; not 12 x 750.
        self.assertAlmostEqual(row.revenue_at_risk, 1125.0)
        self.assertEqual(row.missing_count, 1)
        # A line sold in units takes the logged quantity as is (another category), as Odoo does.
        self._log(unit_line, 2.0)
        self.assertAlmostEqual(self._report(order).revenue_at_risk, 1125.0 + 200.0)

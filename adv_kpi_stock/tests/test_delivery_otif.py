import io
from datetime import datetime, timedelta

from openpyxl import load_workbook

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDeliveryOtif(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        adv_user = cls.env.ref("adv_order_control.group_adv_user") | cls.env.ref("base.group_user")
        cls.agent = cls.env["res.users"].create(
            {"name": "OTIF Agent", "login": "otif_agent", "groups_id": [Command.set(adv_user.ids)]}
        )
        cls.other_agent = cls.env["res.users"].create(
            {"name": "OTIF Other Agent", "login": "otif_other", "groups_id": [Command.set(adv_user.ids)]}
        )
        cls.customer = cls.env["res.partner"].create({"name": "OTIF Customer", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "OTIF Crate", "type": "consu"})
        cls.dozen = cls.env.ref("uom.product_uom_dozen")
        cls.Report = cls.env["adv.kpi.delivery.report"]

    def _order(self, qty, promised, agent=None, uom=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "commitment_date": promised,
                "adv_agent_id": (agent or self.agent).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "product_uom": (uom or self.product.uom_id).id,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _deliver(self, order, qty):
        """Deliver ``qty`` (in the move's unit) of the open delivery, keeping the rest in a backorder."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        # The report is a SQL view: it reads what is in the database, like the next request would.
        self.env.flush_all()
        return picking

    def _fact(self, order):
        return self.Report.search([("order_id", "=", order.id)])

    def test_on_time_and_in_full(self):
        order = self._order(10, datetime.now() + timedelta(days=3))
        self._deliver(order, 10)
        fact = self._fact(order)
        self.assertEqual(len(fact), 1)
        self.assertEqual(fact.ordered_qty, 10)
        self.assertEqual(fact.first_delivery_qty, 10)
        self.assertTrue(fact.is_on_time and fact.is_in_full and fact.is_otif)
        self.assertEqual(fact.otif_rate, 100.0)
        self.assertEqual(fact.first_delivery_date, fields.Date.today())

    def test_late_partial_delivery_is_neither_on_time_nor_in_full(self):
        order = self._order(10, datetime.now() - timedelta(days=4))
        picking = self._deliver(order, 6)
        self.assertTrue(picking.backorder_ids, "the rest of the order must wait in a backorder")
        fact = self._fact(order)
        self.assertEqual((fact.first_delivery_qty, fact.delivered_qty), (6, 6))
        self.assertEqual(fact.delay_days, 4)
        self.assertFalse(fact.is_on_time or fact.is_in_full or fact.is_otif)
        # The backorder delivered later completes the line, but the first delivery was not in full.
        self._deliver(order, 4)
        fact.invalidate_recordset()
        self.assertEqual(fact.delivered_qty, 10)
        self.assertFalse(fact.is_in_full)

    def test_ordered_quantity_compared_in_product_unit(self):
        order = self._order(2, datetime.now() + timedelta(days=1), uom=self.dozen)
        # Odoo ships in the product's unit: 2 dozen become a delivery of 24 units.
        self._deliver(order, 24)
        fact = self._fact(order)
        self.assertAlmostEqual(fact.ordered_qty, 24)
        self.assertAlmostEqual(fact.first_delivery_qty, 24)
        self.assertTrue(fact.is_in_full)

    def test_rates_aggregate_in_pivot(self):
        on_time = self._order(5, datetime.now() + timedelta(days=2))
        late = self._order(5, datetime.now() - timedelta(days=2))
        self._deliver(on_time, 5)
        self._deliver(late, 5)
        [(count, otif, in_full)] = self.Report._read_group(
            [("order_id", "in", (on_time | late).ids)],
            [],
            ["line_count:sum", "otif_rate:avg", "in_full_rate:avg"],
        )
        self.assertEqual((count, otif, in_full), (2, 50.0, 100.0))

    def test_adv_user_sees_only_their_own_deliveries(self):
        mine = self._order(1, datetime.now() + timedelta(days=1))
        theirs = self._order(1, datetime.now() + timedelta(days=1), agent=self.other_agent)
        self._deliver(mine, 1)
        self._deliver(theirs, 1)
        visible = self.Report.with_user(self.agent).search([("order_id", "in", (mine | theirs).ids)])
        self.assertEqual(visible.order_id, mine)
        salesman = self.env["res.users"].create(
            {
                "name": "OTIF Salesman",
                "login": "otif_salesman",
                "groups_id": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(salesman).search([])

    def test_export_adds_the_delivery_sheet(self):
        order = self._order(3, datetime.now() + timedelta(days=1))
        self._deliver(order, 3)
        wizard = self.env["adv.kpi.export.wizard"].create({"include_invoices": False})
        workbook = load_workbook(io.BytesIO(wizard._build_workbook()), read_only=True)
        sheet = workbook["Delivery OTIF"]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:5], ("Month", "Lines Delivered", "On Time (%)", "In Full (%)", "OTIF (%)"))
        this_month = fields.Date.today().replace(day=1)
        company_month = next(
            row for row in rows[1:] if isinstance(row[0], datetime) and row[0].date() == this_month
        )
        self.assertGreaterEqual(company_month[1], 1)
        breakdown = [row for row in rows if row[1] == self.customer.display_name]
        self.assertEqual(breakdown, [(breakdown[0][0], self.customer.display_name, 1, 100.0, 100.0, 100.0)])
        self.assertEqual(breakdown[0][0].date(), this_month)

from odoo import fields, models
from odoo.tools import SQL


class AdvKpiDeliveryReport(models.Model):
    """One row per delivered sale order line with the facts behind the delivery OTIF.

    On time: the first delivery left on or before the promised date (the order's commitment date, else the
    deadline Odoo gave the delivery at confirmation). In full: that first delivery carried the whole ordered
    quantity. OTIF: both."""

    _name = "adv.kpi.delivery.report"
    _description = "ADV KPI: Delivery Facts"
    _auto = False
    _order = "first_delivery_date desc, id desc"
    _rec_name = "order_line_id"

    order_line_id = fields.Many2one("sale.order.line", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    agent_id = fields.Many2one("res.users", string="ADV Agent", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    promised_date = fields.Date(
        readonly=True, help="Commitment date of the order, else the delivery deadline set at confirmation."
    )
    first_delivery_date = fields.Date(readonly=True)
    last_delivery_date = fields.Date(readonly=True)
    month = fields.Date(readonly=True, help="Month of the first delivery.")
    ordered_qty = fields.Float(string="Ordered", readonly=True, digits="Product Unit of Measure")
    first_delivery_qty = fields.Float(
        string="Delivered First", readonly=True, digits="Product Unit of Measure"
    )
    delivered_qty = fields.Float(string="Delivered", readonly=True, digits="Product Unit of Measure")
    delay_days = fields.Integer(
        string="Days Late", readonly=True, aggregator="avg", help="First delivery date minus promised date."
    )
    is_on_time = fields.Boolean(string="On Time", readonly=True)
    is_in_full = fields.Boolean(string="In Full", readonly=True)
    is_otif = fields.Boolean(string="OTIF", readonly=True)
    line_count = fields.Integer(string="Lines Delivered", readonly=True)
    on_time_rate = fields.Float(
        string="On Time (%)", readonly=True, aggregator="avg", help="Share of lines first delivered on time."
    )
    in_full_rate = fields.Float(
        string="In Full (%)",
        readonly=True,
        aggregator="avg",
        help="Share of lines whose first delivery carried the ordered quantity.",
    )
    otif_rate = fields.Float(
        string="OTIF (%)",
        readonly=True,
        aggregator="avg",
        help="Share of lines delivered on time and in full.",
    )

    @property
    def _table_query(self):
        # Quantities compared in the product's unit: moves and order lines each have their own unit
        # (factor conversion as uom.uom._compute_quantity, before rounding). A shipment is a picking.
        return SQL(
            """
            WITH shipments AS (
                SELECT sm.sale_line_id, MIN(sm.date) AS done_at,
                       SUM(sm.quantity / move_uom.factor * product_uom.factor) AS qty,
                       MIN(sm.date_deadline) AS deadline
                  FROM stock_move sm
                  JOIN stock_location dest ON dest.id = sm.location_dest_id AND dest.usage = 'customer'
                  JOIN uom_uom move_uom ON move_uom.id = sm.product_uom
                  JOIN product_product pp ON pp.id = sm.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
                 WHERE sm.state = 'done' AND sm.sale_line_id IS NOT NULL
              GROUP BY sm.sale_line_id, sm.picking_id
            ), delivered AS (
                SELECT sale_line_id, MIN(done_at)::date AS first_day, MAX(done_at)::date AS last_day,
                       SUM(qty) AS qty, (array_agg(qty ORDER BY done_at))[1] AS first_qty,
                       MIN(deadline) AS deadline
                  FROM shipments
              GROUP BY sale_line_id
            ), facts AS (
                SELECT sol.id, sol.order_id, so.company_id, partner.commercial_partner_id AS partner_id,
                       so.user_id AS salesperson_id, so.adv_agent_id AS agent_id, sol.product_id,
                       pt.uom_id AS product_uom_id,
                       COALESCE(so.commitment_date, d.deadline)::date AS promised_date,
                       d.first_day, d.last_day, d.qty, d.first_qty,
                       sol.product_uom_qty / line_uom.factor * product_uom.factor AS ordered_qty
                  FROM delivered d
                  JOIN sale_order_line sol ON sol.id = d.sale_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner partner ON partner.id = so.partner_id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom line_uom ON line_uom.id = sol.product_uom
                  JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
                 WHERE so.state != 'cancel'
            )
            SELECT f.id, f.id AS order_line_id, f.order_id, f.company_id, f.partner_id, f.salesperson_id,
                   f.agent_id, f.product_id, f.product_uom_id, f.promised_date,
                   f.first_day AS first_delivery_date, f.last_day AS last_delivery_date,
                   date_trunc('month', f.first_day)::date AS month,
                   f.ordered_qty, f.first_qty AS first_delivery_qty, f.qty AS delivered_qty,
                   f.first_day - f.promised_date AS delay_days,
                   flags.on_time AS is_on_time, flags.in_full AS is_in_full,
                   flags.on_time AND flags.in_full AS is_otif,
                   1 AS line_count,
                   CASE WHEN flags.on_time THEN 100.0 ELSE 0.0 END AS on_time_rate,
                   CASE WHEN flags.in_full THEN 100.0 ELSE 0.0 END AS in_full_rate,
                   CASE WHEN flags.on_time AND flags.in_full THEN 100.0 ELSE 0.0 END AS otif_rate
              FROM facts f
             CROSS JOIN LATERAL (
                   SELECT COALESCE(f.first_day <= f.promised_date, TRUE) AS on_time,
                          -- a relative tolerance absorbs the rounding of unit conversions
                          f.first_qty >= f.ordered_qty * 0.99999 AS in_full
                   ) flags
            """
        )

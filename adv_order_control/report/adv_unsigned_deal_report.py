from odoo import fields, models
from odoo.tools import SQL


class AdvUnsignedDealReport(models.Model):
    """Provisional orders: what work is done and what revenue is at risk while documents are missing."""

    _name = "adv.unsigned.deal.report"
    _description = "Unsigned Deals Report"
    _auto = False
    _order = "age_days desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    date_order = fields.Datetime(string="Confirmed on", readonly=True)
    regularisation_date = fields.Date(string="Regularisation Deadline", readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="avg")
    missing_count = fields.Integer(string="Missing Documents", readonly=True)
    escalation_level = fields.Integer(readonly=True, aggregator="max")
    amount_untaxed = fields.Monetary(string="Untaxed Amount", readonly=True)
    hours_logged = fields.Float(readonly=True)
    revenue_at_risk = fields.Monetary(
        readonly=True,
        help="Time already logged on the order, in the unit each line is sold in (e.g. hours into days), "
        "valued at the order's own prices.",
    )
    commissionable = fields.Boolean(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT so.id, so.id AS order_id, so.partner_id, so.user_id, so.team_id, so.company_id,
                   company.currency_id, so.date_order, so.adv_regularisation_date AS regularisation_date,
                   (%(today)s - so.date_order::date) AS age_days,
                   COALESCE(docs.missing, 0) AS missing_count,
                   so.adv_escalation_level AS escalation_level,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount_untaxed,
                   COALESCE(work.hours, 0) AS hours_logged,
                   COALESCE(work.value, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1) AS revenue_at_risk,
                   so.adv_commissionable AS commissionable
              FROM sale_order so
              JOIN res_company company ON company.id = so.company_id
         LEFT JOIN (%(missing)s) docs ON docs.order_id = so.id
         LEFT JOIN (%(work)s) work ON work.order_id = so.id
             WHERE so.state = 'sale' AND so.adv_contract_status = 'provisional'
            """,
            today=fields.Date.context_today(self),
            missing=self._missing_documents_query(),
            work=self._work_query(),
        )

    def _missing_documents_query(self):
        """Required documents of each order's checklist not satisfied today: missing, expired, or past
        their expiry date (or their waiver's end) even before the nightly job marks them expired."""
        return SQL(
            """
            SELECT rel.order_id, COUNT(*) AS missing
              FROM adv_document_sale_order_rel rel
              JOIN adv_document doc ON doc.id = rel.document_id
             WHERE doc.requirement != 'info'
               AND NOT (
                   (doc.state IN ('received', 'validated')
                    AND (doc.expiry_date IS NULL OR doc.expiry_date >= %(today)s))
                   OR (doc.state = 'waived'
                       AND (doc.waiver_end_date IS NULL OR doc.waiver_end_date >= %(today)s)))
             GROUP BY rel.order_id
            """,
            today=fields.Date.context_today(self),
        )

    def _work_query(self):
        """Time logged on each order and its value at the order line's price.

        The hours are converted into the line's unit as Odoo's delivered quantity does
        (``sale.order.line._get_delivered_quantity_by_analytic``): per line and unit of the logged time,
        converted within the same category and rounded half-up to the line unit's rounding; time logged
        without a unit counts as no quantity, time in another category is taken as is."""
        return SQL(
            """
            SELECT sol.order_id, SUM(logged.amount) AS hours,
                   SUM(qty.value * sol.price_unit * (1 - COALESCE(sol.discount, 0) / 100)) AS value
              FROM (
                    SELECT aal.so_line, aal.product_uom_id, SUM(aal.unit_amount) AS amount
                      FROM account_analytic_line aal
                     WHERE aal.so_line IS NOT NULL
                     GROUP BY aal.so_line, aal.product_uom_id
                   ) logged
              JOIN sale_order_line sol ON sol.id = logged.so_line
              LEFT JOIN uom_uom from_uom ON from_uom.id = logged.product_uom_id
              LEFT JOIN uom_uom to_uom ON to_uom.id = sol.product_uom
             CROSS JOIN LATERAL (
                    SELECT CASE
                        WHEN from_uom.id IS NULL THEN 0
                        WHEN to_uom.id IS NULL OR from_uom.category_id != to_uom.category_id
                            THEN logged.amount
                        ELSE ROUND(logged.amount::numeric / from_uom.factor::numeric
                                   * to_uom.factor::numeric / to_uom.rounding::numeric)
                             * to_uom.rounding::numeric
                    END AS value
                   ) qty
             GROUP BY sol.order_id
            """
        )

    def action_remind_salespeople(self):
        return self.order_id.action_adv_remind_salespeople()

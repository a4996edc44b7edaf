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
        readonly=True, help="Time already logged on the order, valued at the order's own prices."
    )
    commissionable = fields.Boolean(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT so.id, so.id AS order_id, so.partner_id, so.user_id, so.team_id, so.company_id,
                   company.currency_id, so.date_order, so.adv_regularisation_date AS regularisation_date,
                   (CURRENT_DATE - so.date_order::date) AS age_days,
                   so.adv_missing_confirm_count + so.adv_missing_invoice_count AS missing_count,
                   so.adv_escalation_level AS escalation_level,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount_untaxed,
                   COALESCE(work.hours, 0) AS hours_logged,
                   COALESCE(work.value, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1) AS revenue_at_risk,
                   so.adv_commissionable AS commissionable
              FROM sale_order so
              JOIN res_company company ON company.id = so.company_id
         LEFT JOIN (
                   SELECT sol.order_id, SUM(aal.unit_amount) AS hours,
                          SUM(aal.unit_amount * sol.price_unit * (1 - COALESCE(sol.discount, 0) / 100))
                              AS value
                     FROM account_analytic_line aal
                     JOIN sale_order_line sol ON sol.id = aal.so_line
                    GROUP BY sol.order_id
                   ) work ON work.order_id = so.id
             WHERE so.state = 'sale' AND so.adv_contract_status = 'provisional'
            """
        )

    def action_remind_salespeople(self):
        return self.order_id.action_adv_remind_salespeople()

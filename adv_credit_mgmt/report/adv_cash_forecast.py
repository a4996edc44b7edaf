from odoo import fields, models
from odoo.tools import SQL


class AdvCashForecast(models.Model):
    _name = "adv.cash.forecast"
    _description = "Cash Forecast (13 weeks)"
    _auto = False
    _order = "week_start, partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    date_expected = fields.Date(string="Expected Date", readonly=True)
    week_start = fields.Date(string="Week", readonly=True)
    delay_days = fields.Integer(string="Customer Delay (days)", readonly=True)
    amount = fields.Monetary(string="Expected Collection", readonly=True)
    amount_disputed = fields.Monetary(string="Disputed", readonly=True)

    @property
    def _table_query(self):
        # Due dates shifted by each customer's average delay of the last 12 months; anything expected
        # before this week is expected this week. Disputed invoices are shown apart.
        return SQL(
            """
            WITH delays AS (
                SELECT rp.commercial_partner_id AS partner_id, l.company_id,
                       ROUND(AVG(GREATEST(pay.max_date - COALESCE(l.date_maturity, l.date), 0)))::int AS days
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN res_partner rp ON rp.id = l.partner_id
                  JOIN LATERAL (SELECT MAX(apr.max_date) AS max_date FROM account_partial_reconcile apr
                                 WHERE apr.debit_move_id = l.id) pay ON TRUE
                 WHERE l.reconciled AND l.balance > 0 AND l.parent_state = 'posted'
                   AND pay.max_date >= CURRENT_DATE - 365
                 GROUP BY 1, 2
            ), items AS (
                SELECT l.id, l.company_id, rp.commercial_partner_id AS partner_id, l.move_id,
                       COALESCE(l.date_maturity, l.date) AS date_due,
                       COALESCE(d.days, 0) AS delay_days,
                       COALESCE(l.date_maturity, l.date) + COALESCE(d.days, 0) AS date_expected,
                       CASE WHEN m.adv_disputed THEN 0 ELSE l.amount_residual END AS amount,
                       CASE WHEN m.adv_disputed THEN l.amount_residual ELSE 0 END AS amount_disputed
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner rp ON rp.id = l.partner_id
                  LEFT JOIN delays d
                         ON d.partner_id = rp.commercial_partner_id AND d.company_id = l.company_id
                 WHERE l.parent_state = 'posted' AND l.reconciled IS NOT TRUE AND l.amount_residual > 0
            )
            SELECT items.*,
                   GREATEST(date_trunc('week', items.date_expected), date_trunc('week', CURRENT_DATE))::date
                       AS week_start
              FROM items
             WHERE items.date_expected < date_trunc('week', CURRENT_DATE) + interval '13 weeks'
            """
        )

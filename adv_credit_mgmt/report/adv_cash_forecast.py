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
        # before this week is expected this week. Only the disputed part of an invoice is shown apart:
        # the amounts of its open disputes, as the credit exposure counts them (adv_credit_exposure), a
        # dispute over several invoices shared in proportion to what is open on each, and capped by it.
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
            ), open_lines AS (
                SELECT l.id, l.company_id, l.partner_id, l.move_id, l.date_maturity, l.date, l.amount_residual
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                 WHERE l.parent_state = 'posted' AND l.reconciled IS NOT TRUE AND l.amount_residual > 0
            ), open_moves AS (
                SELECT move_id, SUM(amount_residual) AS open FROM open_lines GROUP BY move_id
            ), disputed AS (
                SELECT rel.move_id, SUM(d.amount_disputed * om.open / share.open) AS amount
                  FROM adv_dispute d
                  JOIN adv_dispute_account_move_rel rel ON rel.dispute_id = d.id
                  JOIN open_moves om ON om.move_id = rel.move_id
                  JOIN LATERAL (SELECT SUM(o2.open) AS open
                                  FROM adv_dispute_account_move_rel r2
                                  JOIN open_moves o2 ON o2.move_id = r2.move_id
                                 WHERE r2.dispute_id = d.id) share ON TRUE
                 WHERE d.state IN ('open', 'investigating', 'committee')
                 GROUP BY rel.move_id
            ), items AS (
                SELECT l.id, l.company_id, rp.commercial_partner_id AS partner_id, l.move_id,
                       COALESCE(l.date_maturity, l.date) AS date_due,
                       COALESCE(d.days, 0) AS delay_days,
                       COALESCE(l.date_maturity, l.date) + COALESCE(d.days, 0) AS date_expected,
                       l.amount_residual * (1 - LEAST(COALESCE(dm.amount, 0), om.open) / om.open) AS amount,
                       l.amount_residual * LEAST(COALESCE(dm.amount, 0), om.open) / om.open AS amount_disputed
                  FROM open_lines l
                  JOIN open_moves om ON om.move_id = l.move_id
                  JOIN res_partner rp ON rp.id = l.partner_id
                  LEFT JOIN disputed dm ON dm.move_id = l.move_id
                  LEFT JOIN delays d
                         ON d.partner_id = rp.commercial_partner_id AND d.company_id = l.company_id
            )
            SELECT items.*,
                   GREATEST(date_trunc('week', items.date_expected), date_trunc('week', CURRENT_DATE))::date
                       AS week_start
              FROM items
             WHERE items.date_expected < date_trunc('week', CURRENT_DATE) + interval '13 weeks'
            """
        )

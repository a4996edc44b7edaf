from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.adv_order_control.tools import local_today_sql

from ..tools.receivables import open_receivables_sql, payment_delays_sql

HORIZON_WEEKS = 13
CERTAINTIES = [
    ("not_due", "Not Yet Due"),
    ("overdue", "Overdue"),
    ("disputed", "Disputed"),
    ("committed", "Committed by the Customer"),
]


class AdvCashForecast(models.Model):
    """Expected collections of the next 13 weeks, one row per open receivable item and certainty.

    Items and buckets come from the one definition of open receivables (tools/receivables.py), so that the
    forecast adds up to the Credit Exposure's not yet due and overdue figures. Each week of the horizon has a
    zero row per company (no customer, no item), so that graphs and pivots show all 13 weeks."""

    _name = "adv.cash.forecast"
    _description = "Cash Forecast (13 weeks)"
    _auto = False
    _order = "week_start, partner_id, date_expected"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    certainty = fields.Selection(
        CERTAINTIES,
        readonly=True,
        help="Not yet due and overdue: undisputed amounts by due date. Disputed: the part of the invoice "
        "under an open dispute. Committed: the undisputed part the customer committed to pay (e.g. an "
        "e-invoice the buyer approved), expected on the date given. An open credit note is a negative "
        "amount that reduces the customer's overdue debts first, then those not yet due.",
    )
    due_status = fields.Selection(
        [("not_due", "Not Yet Due"), ("overdue", "Overdue")],
        readonly=True,
        help="Bucket of the amount, as on Customer Credit and the Credit Exposure, disputed or not.",
    )
    date_due = fields.Date(string="Due Date", readonly=True)
    date_expected = fields.Date(
        string="Expected Date",
        readonly=True,
        help="Due date plus the customer's average payment delay; overdue debts and open credit notes are "
        "expected today.",
    )
    week_start = fields.Date(string="Week", readonly=True)
    delay_days = fields.Integer(string="Customer Delay (days)", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    amount = fields.Monetary(string="Expected Collection", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH delays AS (%(delays)s),
            items AS (%(items)s),
            open_moves AS (
                SELECT move_id, SUM(amount) AS open FROM items WHERE amount > 0 GROUP BY move_id
            ),
            -- The disputed part of each invoice: the amounts of its open disputes, a dispute over several
            -- invoices shared in proportion to what is open on each, capped by what is open.
            disputed AS (
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
            ),
            -- What customers committed to pay on an invoice (none here; see _commitments_sql).
            commitments AS (%(commitments)s),
            expected AS (
                SELECT i.line_id, i.company_id, i.partner_id, i.move_id, i.date_due, i.days_overdue,
                       i.date_today,
                       COALESCE(ROUND(d.days), 0)::int AS delay_days,
                       -- overdue debts and open credits are expected now, not in the past
                       CASE WHEN i.amount > 0 AND i.days_overdue = 0
                            THEN GREATEST(i.date_due + COALESCE(ROUND(d.days), 0)::int, i.date_today)
                            ELSE i.date_today END AS date_expected,
                       CASE WHEN i.amount > 0 THEN LEAST(COALESCE(dm.amount, 0), om.open) / om.open ELSE 0 END
                           AS disputed_share,
                       -- the committed part comes out of what is not disputed
                       CASE WHEN i.amount > 0
                            THEN LEAST(COALESCE(cm.amount, om.open),
                                       GREATEST(om.open - COALESCE(dm.amount, 0), 0)) / om.open
                            ELSE 0 END * (cm.move_id IS NOT NULL)::int AS committed_share,
                       GREATEST(COALESCE(cm.date_expected, i.date_due), i.date_today) AS date_committed,
                       i.amount_not_due, i.amount_overdue
                  FROM items i
                  LEFT JOIN open_moves om ON om.move_id = i.move_id AND i.amount > 0
                  LEFT JOIN disputed dm ON dm.move_id = i.move_id AND i.amount > 0
                  LEFT JOIN commitments cm ON cm.move_id = i.move_id AND i.amount > 0
                  LEFT JOIN delays d ON d.partner_id = i.partner_id AND d.company_id = i.company_id
                 WHERE i.partner_id IS NOT NULL
            )
            SELECT r.line_id * 5 + part.k AS id, r.company_id, r.partner_id, r.move_id, part.certainty,
                   part.due_status, r.date_due, part.date_expected,
                   date_trunc('week', part.date_expected)::date AS week_start, r.delay_days,
                   r.days_overdue, part.amount
              FROM expected r
             CROSS JOIN LATERAL (VALUES
                   (1, 'not_due', 'not_due', r.date_expected,
                    r.amount_not_due * (1 - r.disputed_share - r.committed_share)),
                   (2, 'overdue', 'overdue', r.date_expected,
                    r.amount_overdue * (1 - r.disputed_share - r.committed_share)),
                   (3, 'disputed', CASE WHEN r.amount_overdue <> 0 THEN 'overdue' ELSE 'not_due' END,
                    r.date_expected, (r.amount_not_due + r.amount_overdue) * r.disputed_share),
                   (4, 'committed', CASE WHEN r.amount_overdue <> 0 THEN 'overdue' ELSE 'not_due' END,
                    r.date_committed, (r.amount_not_due + r.amount_overdue) * r.committed_share)
                  ) part(k, certainty, due_status, date_expected, amount)
             WHERE part.amount <> 0
               AND part.date_expected < date_trunc('week', r.date_today) + %(horizon)s * interval '1 week'
            UNION ALL
            -- every week of the horizon, also without collections (ids: multiples of 5, apart from items)
            SELECT (c.id * %(horizon)s + w.n) * 5, c.id, NULL, NULL, 'not_due', 'not_due', NULL, NULL,
                   (date_trunc('week', %(today)s) + w.n * interval '1 week')::date, 0, 0, 0
              FROM res_company c
              JOIN res_partner cp ON cp.id = c.partner_id
             CROSS JOIN generate_series(0, %(horizon)s - 1) w(n)
            """,
            delays=payment_delays_sql(),
            commitments=self._commitments_sql(),
            items=open_receivables_sql(),
            horizon=HORIZON_WEEKS,
            today=local_today_sql(SQL("cp.tz")),
        )

    @api.model
    def _commitments_sql(self):
        """SELECT of what customers committed to pay on their open invoices, at most one row per invoice:
        ``move_id``, ``amount`` (company currency; NULL: all that is open) and ``date_expected`` (NULL: the
        due date). That part of the invoice, out of what is not disputed, is forecast as *Committed* on
        that date (today at the earliest) instead of by the customer's usual delay. None here: modules
        that learn of commitments (e.g. e-invoices approved by the buyer) add them."""
        return SQL(
            "SELECT NULL::int AS move_id, NULL::numeric AS amount, NULL::date AS date_expected WHERE FALSE"
        )

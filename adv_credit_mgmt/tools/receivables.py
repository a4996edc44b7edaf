"""Open receivable items and their buckets: the one definition every screen reads.

Customer Credit and the Credit Exposure (adv.credit.exposure), the cash forecast (adv.cash.forecast) and the
KPI snapshots and dashboard of adv_kpi all select from :func:`open_receivables_sql`, so that "not yet due",
"overdue" and the total receivable of a customer are the same figures on every screen.

The rules, in one place:

- An item is the open amount of a posted journal item on a receivable account, in company currency, signed
  (credit notes and unmatched payments are negative). Its due date is its maturity date, else its date.
- An item due on day D is overdue from D+1 (plus the company's overdue grace days, zero by default): on the
  as-of date itself it is not yet due.
- An open credit (unmatched credit note or payment) reduces what the customer owes; it is never an overdue
  debt. Per customer and company, the credits first absorb the overdue debts, then the not yet due ones:
  overdue = max(overdue debts - credits, 0), not yet due = the rest of the total. Only not yet due and the
  total can go negative (a customer in credit), never overdue. A credit item carries its share of the
  absorption (negative overdue for the part that absorbed overdue debts, negative not yet due for the rest),
  so that summing items by any dimension (salesperson, week) adds up to the customer's figures.
"""

from odoo.tools import SQL

from odoo.addons.adv_order_control.tools import local_today_sql

RECEIVABLE_ACCOUNTS = SQL("ARRAY(SELECT id FROM account_account WHERE account_type = 'asset_receivable')")


def _open_lines_today(where):
    """Open items as they stand now: the residual of the unreconciled receivable lines."""
    return SQL(
        """
        SELECT l.id, l.move_id, l.company_id, l.partner_id, l.date_maturity, l.date,
               l.amount_residual AS amount
          FROM account_move_line l
          LEFT JOIN res_partner rp ON rp.id = l.partner_id
         WHERE l.account_id = ANY(%(accounts)s) AND l.parent_state = 'posted'
           AND l.reconciled IS NOT TRUE AND l.amount_residual <> 0
           AND %(where)s
        """,
        accounts=RECEIVABLE_ACCOUNTS,
        where=where,
    )


def _open_lines_at(where, as_of, companies):
    """Open items at the end of ``as_of``, without replaying every reconciliation since the first invoice:
    open at ``as_of`` = today's residual + what reconciliations dated after ``as_of`` took off. Only lines
    still open today (Odoo's unreconciled index) or matched after ``as_of`` (a few) are read."""
    return SQL(
        """
        WITH later AS (
            SELECT line_id, SUM(amount) AS amount FROM (
                SELECT p.debit_move_id AS line_id, p.amount FROM account_partial_reconcile p
                 WHERE p.max_date > %(as_of)s AND p.company_id = ANY(%(companies)s)
                UNION ALL
                SELECT p.credit_move_id, -p.amount FROM account_partial_reconcile p
                 WHERE p.max_date > %(as_of)s AND p.company_id = ANY(%(companies)s)
            ) moves
            GROUP BY line_id
        )
        SELECT * FROM (
            SELECT l.id, l.move_id, l.company_id, l.partner_id, l.date_maturity, l.date,
                   l.amount_residual + COALESCE(later.amount, 0) AS amount
              FROM account_move_line l
              LEFT JOIN later ON later.line_id = l.id
              LEFT JOIN res_partner rp ON rp.id = l.partner_id
             WHERE l.account_id = ANY(%(accounts)s) AND l.reconciled IS NOT TRUE
               AND l.parent_state = 'posted' AND l.company_id = ANY(%(companies)s) AND l.date <= %(as_of)s
               AND %(where)s
            UNION ALL
            SELECT l.id, l.move_id, l.company_id, l.partner_id, l.date_maturity, l.date, later.amount
              FROM later
              JOIN account_move_line l ON l.id = later.line_id
              LEFT JOIN res_partner rp ON rp.id = l.partner_id
             WHERE l.reconciled AND l.parent_state = 'posted' AND l.account_id = ANY(%(accounts)s)
               AND l.company_id = ANY(%(companies)s) AND l.date <= %(as_of)s
               AND %(where)s
        ) open_lines
         WHERE open_lines.amount <> 0
        """,
        accounts=RECEIVABLE_ACCOUNTS,
        as_of=as_of,
        companies=list(companies),
        where=where,
    )


def open_receivables_sql(companies=None, as_of=None, where=None):
    """SELECT of the open receivable items with their buckets, one row per journal item.

    :param companies: ids of the companies to read, or None for every company.
    :param as_of: a date: items open at the end of that day (reconciliations dated later are undone), split
        against that day. None: the items open now, split against the company's today; then, without
        ``companies``, the SQL has no parameter and can be inlined in a PL/pgSQL function.
    :param where: an SQL condition on the journal item ``l`` and its partner ``rp`` (e.g. a list of
        customers), TRUE by default.

    Columns: ``line_id``, ``move_id``, ``company_id``, ``partner_id`` (commercial partner, NULL when the
    item has no partner), ``date_due``, ``amount`` (open, company currency, signed), ``amount_not_due``,
    ``amount_overdue`` (the two add up to ``amount``, see the module docstring for credits),
    ``days_overdue`` (age of an overdue debt at the as-of date, 0 for anything else), ``date_today`` (the
    as-of date, or the company's today).
    """
    where = where or SQL("TRUE")
    if companies is not None:
        where = SQL("%s AND l.company_id = ANY(%s)", where, list(companies))
    if as_of is None:
        lines, day = _open_lines_today(where), local_today_sql(SQL("cop.tz"))
    elif companies is None:
        raise ValueError("open_receivables_sql: an as-of date needs the companies")
    else:
        lines, day = _open_lines_at(where, as_of, companies), SQL("%s::date", as_of)
    return SQL(
        """
        SELECT * FROM (
            WITH items AS (
                SELECT l.id AS line_id, l.move_id, l.company_id, rp.commercial_partner_id AS partner_id,
                       COALESCE(l.date_maturity, l.date) AS date_due, l.amount,
                       -- overdue from the day after the due date (plus the company's grace days)
                       l.amount > 0 AND COALESCE(l.date_maturity, l.date)
                           + COALESCE(co.adv_credit_grace_days, 0) < %(day)s AS late,
                       %(day)s AS today
                  FROM (%(lines)s) l
                  JOIN res_company co ON co.id = l.company_id
                  JOIN res_partner cop ON cop.id = co.partner_id
                  LEFT JOIN res_partner rp ON rp.id = l.partner_id
            ), customers AS (
                SELECT i.*,
                       SUM(i.amount) OVER w AS total,
                       SUM(CASE WHEN i.amount > 0 AND NOT i.late THEN i.amount ELSE 0 END) OVER w
                           AS debit_not_due,
                       SUM(CASE WHEN i.amount < 0 THEN -i.amount ELSE 0 END) OVER w AS credits
                  FROM items i
                WINDOW w AS (PARTITION BY i.company_id, i.partner_id)
            ), split AS (
                SELECT c.*,
                       CASE WHEN c.amount > 0 THEN CASE WHEN c.late THEN 0 ELSE c.amount END
                            -- a credit's share of what the credits leave over once the overdue debts are
                            -- paid: credits - overdue debts = not yet due debts - total
                            ELSE c.amount * GREATEST(c.debit_not_due - c.total, 0) / c.credits
                       END AS amount_not_due
                  FROM customers c
            )
            SELECT s.line_id, s.move_id, s.company_id, s.partner_id, s.date_due, s.amount,
                   s.amount_not_due, s.amount - s.amount_not_due AS amount_overdue,
                   CASE WHEN s.late THEN s.today - s.date_due ELSE 0 END AS days_overdue,
                   s.today AS date_today
              FROM split s
        ) open_receivables
        """,
        lines=lines,
        day=day,
    )


def payment_delays_sql(where=None):
    """SELECT of each customer's average payment delay in days over the last 12 months, per company.

    Columns: ``partner_id`` (commercial partner), ``company_id``, ``days`` (numeric). The items counted are
    the customer's debts fully paid in the last 12 months (date of the last reconciliation - due date, 0 when
    paid on time) and its debts still open and overdue today (today - due date: late so far). Without the
    open ones, a customer who stopped paying would show no delay at all. Today is the company's.

    :param where: an SQL condition on the journal item ``l`` and its partner ``rp``, TRUE by default.
    """
    return SQL(
        """
        SELECT rp.commercial_partner_id AS partner_id, l.company_id,
               AVG(GREATEST(COALESCE(pay.max_date, %(today)s) - COALESCE(l.date_maturity, l.date), 0))
                   AS days
          FROM account_move_line l
          JOIN res_partner rp ON rp.id = l.partner_id
          JOIN res_company co ON co.id = l.company_id
          JOIN res_partner cop ON cop.id = co.partner_id
          LEFT JOIN LATERAL (SELECT MAX(apr.max_date) AS max_date FROM account_partial_reconcile apr
                              WHERE apr.debit_move_id = l.id) pay ON l.reconciled
         WHERE l.account_id = ANY(%(accounts)s) AND l.parent_state = 'posted' AND l.balance > 0
           AND (l.reconciled AND pay.max_date >= %(today)s - 365
                OR l.reconciled IS NOT TRUE AND l.amount_residual > 0
                   AND COALESCE(l.date_maturity, l.date) < %(today)s)
           AND %(where)s
         GROUP BY 1, 2
        """,
        accounts=RECEIVABLE_ACCOUNTS,
        where=where or SQL("TRUE"),
        today=local_today_sql(SQL("cop.tz")),
    )

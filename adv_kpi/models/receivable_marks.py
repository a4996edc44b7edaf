"""Marks of changes to past months' receivables, kept by PostgreSQL triggers.

A month's receivables are chained from the previous month's snapshot (open at month end = open at the
previous month end + the month's movements) instead of being rebuilt from every open item. That is only
right while nothing dated in a month already snapshotted has changed since: a back-dated entry, an entry
reset to draft, a late reconciliation (dated by its later line), a salesperson changed on a posted
invoice. Statement triggers record each such change as a mark (company, month, transaction, sequence);
a snapshot remembers which transactions it saw, and a later month chains from it only when it saw every
mark of its month or earlier. Otherwise the month is rebuilt from the open items.

Triggers rather than Python hooks: they also see imports, SQL scripts and other modules' raw writes.
Changes dated in the current month are not marked: a month is only chained from once it is over, and a
snapshot taken before the month ended is never used as a base.
"""

from odoo.tools import SQL

from odoo.addons.adv_order_control.tools import company_today_sql, create_statement_triggers

MARK_TABLES = """
CREATE SEQUENCE IF NOT EXISTS adv_kpi_receivable_mark_seq;
CREATE TABLE IF NOT EXISTS adv_kpi_receivable_mark (
    company_id integer NOT NULL,
    month date NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    seq bigint NOT NULL DEFAULT nextval('adv_kpi_receivable_mark_seq')
);
CREATE INDEX IF NOT EXISTS adv_kpi_receivable_mark_company_month_idx
    ON adv_kpi_receivable_mark (company_id, month);
CREATE TABLE IF NOT EXISTS adv_kpi_snapshot_base (
    company_id integer NOT NULL,
    month date NOT NULL,
    computed_at timestamp NOT NULL,
    snap pg_snapshot NOT NULL,
    xid xid8 NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (company_id, month)
);
"""

# Whether mark ``m`` was seen by the snapshot computation recorded in base ``b``: committed before its
# snapshot, or made earlier in its own transaction.
SEEN = SQL("(pg_visible_in_snapshot(m.xid, b.snap) OR (m.xid = b.xid AND m.seq < b.seq))")

# SELECT of (company_id, date) of the changed rows that move past months' receivables, per table.
# ``r`` is a row of the transition table ``rows`` (new or old rows).
CHANGED_ROWS = {
    "account_move_line": """
        SELECT r.company_id, r.date FROM rows r
          JOIN account_account a ON a.id = r.account_id AND a.account_type = 'asset_receivable'
         WHERE r.parent_state = 'posted'""",
    "account_partial_reconcile": "SELECT r.company_id, r.max_date FROM rows r",
    "account_move": """
        SELECT r.company_id, r.date FROM rows r
         WHERE r.state = 'posted' AND r.move_type IN ('out_invoice', 'out_refund')""",
}
# Columns whose update moves receivables or their attribution (salesperson, ADV agent).
WATCHED = {
    "account_move_line": (
        "date",
        "balance",
        "parent_state",
        "account_id",
        "partner_id",
        "company_id",
        "move_id",
    ),
    "account_partial_reconcile": ("max_date", "amount", "debit_move_id", "credit_move_id", "company_id"),
    "account_move": ("invoice_user_id", "adv_agent_id"),
}


def trigger_function(table):
    changed = " OR ".join(f"n.{col} IS DISTINCT FROM o.{col}" for col in WATCHED[table])
    select = CHANGED_ROWS[table]

    def mark(rows):
        return f"""
        INSERT INTO adv_kpi_receivable_mark (company_id, month)
        SELECT DISTINCT c.company_id, date_trunc('month', c.date)::date
          FROM ({select.replace("FROM rows r", f"FROM {rows} r")}) c(company_id, date)
         WHERE c.date < date_trunc('month', {company_today_sql(SQL("c.company_id")).code});"""

    return f"""
CREATE OR REPLACE FUNCTION adv_kpi_mark_{table}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {mark("adv_new")}
    ELSIF TG_OP = 'DELETE' THEN
        {mark("adv_old")}
    ELSE
        {mark("(SELECT n.* FROM adv_new n JOIN adv_old o ON o.id = n.id WHERE " + changed + ")")}
        {mark("(SELECT o.* FROM adv_new n JOIN adv_old o ON o.id = n.id WHERE " + changed + ")")}
    END IF;
    RETURN NULL;
END $$;
"""


def install(cr):
    """Create the tables, functions and triggers (idempotent: install, upgrade)."""
    cr.execute(MARK_TABLES)
    for table in CHANGED_ROWS:
        cr.execute(trigger_function(table))
        # A posted invoice is only created or deleted through its lines: its updates are enough.
        events = ("UPDATE",) if table == "account_move" else ("INSERT", "UPDATE", "DELETE")
        create_statement_triggers(cr, table, f"adv_kpi_mark_{table}", events)


def uninstall(cr):
    """Drop triggers, functions and tables: left behind, the triggers would break every journal entry."""
    for table in CHANGED_ROWS:
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(f"adv_kpi_mark_{table}")))
    cr.execute(
        "DROP TABLE IF EXISTS adv_kpi_receivable_mark, adv_kpi_snapshot_base; "
        "DROP SEQUENCE IF EXISTS adv_kpi_receivable_mark_seq"
    )

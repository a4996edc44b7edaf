import logging

from odoo import api, fields, models
from odoo.tools import SQL, split_every, sql

from odoo.addons.adv_order_control.tools import commit_progress, create_statement_triggers, in_cron_run

from ..tools.receivables import open_receivables_sql

_logger = logging.getLogger(__name__)

# One row per (commercial partner, company), kept up to date by PostgreSQL triggers on every table
# that moves exposure: journal items (payments, reconciliations, credit notes), invoices (drafts,
# cancellations), order lines and orders (confirmation, changes, cancellation) and disputes.
# Triggers also catch writes made outside the ORM (imports, SQL scripts), which Python hooks would miss.
FIGURES = [
    "amount_not_due",
    "amount_overdue",
    "amount_draft",
    "amount_to_invoice",
    "amount_disputed",
    "oldest_due_date",
    "amount_total",
    "amount_decision",
]
COLUMNS = ", ".join(FIGURES)
EXCLUDED = ", ".join(f"EXCLUDED.{col}" for col in FIGURES)
CURRENT = ", ".join(f"adv_credit_exposure.{col}" for col in FIGURES)

# The exposure per (customer, company), computed from the documents: {m}, {rp}, {d} select the customers.
COMPUTED_EXPOSURE = """
SELECT i.partner_id, i.company_id, SUM(i.not_due) AS amount_not_due, SUM(i.overdue) AS amount_overdue,
       SUM(i.draft) AS amount_draft, SUM(i.to_invoice) AS amount_to_invoice,
       SUM(i.disputed) AS amount_disputed,
       CASE WHEN SUM(i.overdue) > 0 THEN MIN(i.overdue_date) END AS oldest_due_date,
       SUM(i.not_due + i.overdue + i.draft + i.to_invoice) AS amount_total,
       SUM(i.not_due + i.overdue + i.draft + i.to_invoice)
           - CASE WHEN bool_or(c.adv_credit_exclude_disputed) THEN SUM(i.disputed) ELSE 0 END
           AS amount_decision
  FROM (
    -- posted receivable open items, split by the one definition of the buckets (tools/receivables.py)
    SELECT o.partner_id, o.company_id, o.amount_not_due AS not_due, o.amount_overdue AS overdue,
           0 AS draft, 0 AS to_invoice, 0 AS disputed,
           CASE WHEN o.days_overdue > 0 THEN o.date_due END AS overdue_date
      FROM ({items}) o
    UNION ALL
    -- draft customer invoices and credit notes (signed, company currency; the ORM may insert the
    -- move before its totals, e.g. while reversing an entry)
    SELECT m.commercial_partner_id, m.company_id, 0, 0, COALESCE(m.amount_total_signed, 0), 0, 0, NULL
      FROM account_move m
     WHERE m.state = 'draft' AND m.move_type IN ('out_invoice', 'out_refund')
       AND {m}
    UNION ALL
    -- confirmed orders: what remains to invoice, delivered or not, taxes included, company currency
    -- (a line whose quantity went down to zero has nothing left to invoice)
    SELECT rp.commercial_partner_id, so.company_id, 0, 0, 0,
           COALESCE(CASE WHEN sol.is_downpayment THEN -sol.qty_invoiced * sol.price_unit
                         ELSE GREATEST(sol.product_uom_qty - sol.qty_invoiced, 0) * sol.price_total
                              / NULLIF(sol.product_uom_qty, 0) END, 0)
           / COALESCE(NULLIF(so.currency_rate, 0), 1), 0, NULL
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner rp ON rp.id = so.partner_id
     WHERE so.state = 'sale' AND sol.display_type IS NULL
       AND {rp}
    UNION ALL
    -- open disputes, shown apart
    SELECT d.partner_id, d.company_id, 0, 0, 0, 0, d.amount_disputed, NULL
      FROM adv_dispute d
     WHERE d.state IN ('open', 'investigating', 'committee')
       AND {d}
  ) i
  JOIN res_company c ON c.id = i.company_id
 WHERE i.partner_id IS NOT NULL
 GROUP BY i.partner_id, i.company_id
"""

# The exposure of the customers of ``pids`` as they stand, one row per (customer, company): upserted, then the
# rows of those customers that have no exposure any more are deleted. Never DELETE then INSERT: two
# transactions refreshing the same new customer would both insert its row (duplicate key, not retried);
# with ON CONFLICT the second one waits for the first and, under Odoo's REPEATABLE READ, gets a
# serialization failure that Odoo retries. Rows are written in key order (fewer deadlocks between two
# refreshes), and a row whose figures did not change is not rewritten (no lock held longer than needed, no
# dead tuples from the nightly refresh).
REFRESH_EXPOSURE = f"""
WITH computed AS ({{computed}}), upserted AS (
    INSERT INTO adv_credit_exposure (partner_id, company_id, {COLUMNS})
    SELECT partner_id, company_id, {COLUMNS}
      FROM computed
     ORDER BY partner_id, company_id
        ON CONFLICT (partner_id, company_id) DO UPDATE
       SET ({COLUMNS}) = ROW({EXCLUDED})
     WHERE ({CURRENT}) IS DISTINCT FROM ({EXCLUDED})
)
-- (a data-modifying WITH always runs to completion; the DELETE does not see the rows it inserted and never
-- touches the ones it updated, which are computed ones)
DELETE FROM adv_credit_exposure e
 WHERE e.partner_id = ANY(pids)
   AND NOT EXISTS (SELECT 1 FROM computed k
                    WHERE k.partner_id = e.partner_id AND k.company_id = e.company_id);
"""

# Commercial partners refreshed per statement by the full refresh (daily job, settings, installation).
REFRESH_BATCH_SIZE = 5000


def _refresh_function():
    """The refresh function: one static statement (PL/pgSQL caches its plan) for a list of customers.

    The full refresh is not a statement of its own: Python calls this function for batches of customers
    (:meth:`AdvCreditExposure._refresh`), so that no statement rewrites or locks the whole table and the
    daily job can commit batch by batch. A NULL list is refused rather than read as "everybody".
    """
    computed = COMPUTED_EXPOSURE.format(
        items=open_receivables_sql(where=SQL("rp.commercial_partner_id = ANY(pids)")).code,
        m="m.commercial_partner_id = ANY(pids)",
        rp="rp.commercial_partner_id = ANY(pids)",
        d="d.partner_id = ANY(pids)",
    )
    statement = REFRESH_EXPOSURE.format(computed=computed)
    return f"""
CREATE OR REPLACE FUNCTION adv_credit_refresh_exposure(pids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF pids IS NULL THEN
        RAISE EXCEPTION 'adv_credit_refresh_exposure: pass the customers; the full refresh runs in batches';
    END IF;
    {statement}
END $$;
"""


def _trigger_function(table, column, watched):
    """Statement trigger of ``table``: refresh the customers of the changed rows.

    Static SQL per table (PL/pgSQL caches its plans); updates that leave the watched columns alone,
    the most frequent ones (statuses, caches), cost one comparison and no refresh.
    """
    changed = " OR ".join(f"n.{col} IS DISTINCT FROM o.{col}" for col in watched.split(","))
    return f"""
CREATE OR REPLACE FUNCTION adv_credit_exposure_{table}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pids integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT rp.commercial_partner_id) INTO pids
          FROM adv_new n JOIN res_partner rp ON rp.id = n.{column};
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT rp.commercial_partner_id) INTO pids
          FROM adv_old o JOIN res_partner rp ON rp.id = o.{column};
    ELSE
        SELECT array_agg(DISTINCT rp.commercial_partner_id) INTO pids
          FROM adv_new n JOIN adv_old o ON o.id = n.id
         CROSS JOIN LATERAL (VALUES (n.{column}), (o.{column})) v(id)
          JOIN res_partner rp ON rp.id = v.id
         WHERE {changed};
    END IF;
    IF pids IS NOT NULL THEN
        PERFORM adv_credit_refresh_exposure(pids);
    END IF;
    RETURN NULL;
END $$;
"""


# A contact's commercial partner is a stored compute the ORM writes after inserting the contact: a customer
# created and invoiced in one transaction (an import, an integration's batch) has its journal items and
# invoices inserted while ``commercial_partner_id`` is still empty, and the triggers above find no customer
# to refresh. When the commercial partner is written (or changes: a contact moved to another company), both
# the old and the new one are refreshed. UPDATE only: a new partner has no documents yet, and deleting one
# cascades to its rows. (PostgreSQL allows no column list with transition tables: the function compares.)
PARTNER_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION adv_credit_exposure_res_partner() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pids integer[];
BEGIN
    SELECT array_agg(DISTINCT v.id) INTO pids
      FROM adv_new n JOIN adv_old o ON o.id = n.id
     CROSS JOIN LATERAL (VALUES (n.commercial_partner_id), (o.commercial_partner_id)) v(id)
     WHERE n.commercial_partner_id IS DISTINCT FROM o.commercial_partner_id AND v.id IS NOT NULL;
    IF pids IS NOT NULL THEN
        PERFORM adv_credit_refresh_exposure(pids);
    END IF;
    RETURN NULL;
END $$;
"""
PARTNER_TRIGGER_EVENTS = ("UPDATE",)

# table -> (column holding the partner, columns whose update moves the exposure)
TRIGGER_TABLES = {
    "account_move_line": (
        "partner_id",
        "partner_id,company_id,account_id,parent_state,reconciled,amount_residual,date_maturity,date",
    ),
    "account_move": (
        "commercial_partner_id",
        "commercial_partner_id,company_id,state,move_type,amount_total_signed",
    ),
    "sale_order": ("partner_id", "partner_id,company_id,state,currency_rate"),
    "sale_order_line": (
        "order_partner_id",
        "order_partner_id,order_id,display_type,is_downpayment,product_uom_qty,qty_invoiced,price_unit,price_total",
    ),
    "adv_dispute": ("partner_id", "partner_id,company_id,state,amount_disputed"),
}


class AdvCreditExposure(models.Model):
    _name = "adv.credit.exposure"
    _description = "Customer Credit Exposure"
    _auto = False  # table, function and triggers are created in init()
    _log_access = False
    _order = "amount_decision desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_not_due = fields.Monetary(string="Not Yet Due", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    amount_draft = fields.Monetary(string="Draft Invoices", readonly=True)
    amount_to_invoice = fields.Monetary(string="Orders to Invoice", readonly=True)
    amount_disputed = fields.Monetary(string="Disputed", readonly=True)
    amount_total = fields.Monetary(string="Total Exposure", readonly=True)
    amount_decision = fields.Monetary(
        string="Exposure for Decisions",
        readonly=True,
        help="Total exposure, less disputed amounts when the company excludes them from blocking decisions.",
    )
    oldest_due_date = fields.Date(string="Oldest Overdue Due Date", readonly=True)

    def init(self):
        cr = self.env.cr
        cr.execute(
            """
            CREATE TABLE IF NOT EXISTS adv_credit_exposure (
                id serial PRIMARY KEY,
                partner_id integer NOT NULL REFERENCES res_partner(id) ON DELETE CASCADE,
                company_id integer NOT NULL REFERENCES res_company(id) ON DELETE CASCADE,
                amount_not_due numeric NOT NULL DEFAULT 0,
                amount_overdue numeric NOT NULL DEFAULT 0,
                amount_draft numeric NOT NULL DEFAULT 0,
                amount_to_invoice numeric NOT NULL DEFAULT 0,
                amount_disputed numeric NOT NULL DEFAULT 0,
                amount_total numeric NOT NULL DEFAULT 0,
                amount_decision numeric NOT NULL DEFAULT 0,
                oldest_due_date date
            );
            CREATE UNIQUE INDEX IF NOT EXISTS adv_credit_exposure_partner_company_uniq
                ON adv_credit_exposure (partner_id, company_id);
            CREATE INDEX IF NOT EXISTS adv_credit_exposure_company_decision_idx
                ON adv_credit_exposure (company_id, amount_decision);
            """
        )
        # Draft customer invoices of one customer, read at every refresh: a small partial index.
        sql.create_index(
            cr,
            "account_move_adv_credit_draft_idx",
            "account_move",
            ["commercial_partner_id"],
            where="state = 'draft' AND move_type IN ('out_invoice', 'out_refund')",
        )
        # On upgrade, refresh the function body; on install, post_init_hook creates function and triggers
        # once every column they read exists (triggers firing mid-install would read missing columns).
        cr.execute("SELECT 1 FROM pg_proc WHERE proname = 'adv_credit_refresh_exposure'")
        if cr.fetchone():
            cr.execute(_refresh_function())
            for table, (column, watched) in TRIGGER_TABLES.items():
                cr.execute(_trigger_function(table, column, watched))
            # Databases installed before the partner trigger existed get it on upgrade.
            cr.execute(PARTNER_TRIGGER_FUNCTION)
            create_statement_triggers(
                cr, "res_partner", "adv_credit_exposure_res_partner", PARTNER_TRIGGER_EVENTS
            )

    @api.model
    def _install_triggers(self):
        """Create the refresh function and the triggers, then fill the table (post_init_hook)."""
        cr = self.env.cr
        cr.execute(_refresh_function())
        for table, (column, watched) in TRIGGER_TABLES.items():
            cr.execute(_trigger_function(table, column, watched))
            create_statement_triggers(cr, table, f"adv_credit_exposure_{table}")
        cr.execute(PARTNER_TRIGGER_FUNCTION)
        create_statement_triggers(
            cr, "res_partner", "adv_credit_exposure_res_partner", PARTNER_TRIGGER_EVENTS
        )
        self._refresh()

    @api.model
    def _uninstall_triggers(self):
        """Drop the triggers and functions: left behind, they would break every invoice and order."""
        cr = self.env.cr
        for table in [*TRIGGER_TABLES, "res_partner"]:
            for event in ("insert", "update", "delete"):
                name = SQL.identifier(f"adv_credit_exposure_{table}_{event}")
                cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", name, SQL.identifier(table)))
            cr.execute(
                SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(f"adv_credit_exposure_{table}"))
            )
        cr.execute("DROP FUNCTION IF EXISTS adv_credit_refresh_exposure(integer[]) CASCADE")

    @api.model
    def _flush_sources(self):
        """Flush what the triggers read, so that the exposure table is current before it is read.

        Only the watched fields: on the confirmation path nothing else needs to reach the database, and a
        clean model costs no query. The partners' commercial partner first: the triggers map every
        document to its customer through it (a customer created in this transaction has it only in cache).
        """
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        for table, (_column, watched) in TRIGGER_TABLES.items():
            self.env[table.replace("_", ".")].flush_model(watched.split(","))

    @api.model
    def _refresh(self, partners=None):
        """Recompute the buckets of ``partners`` (commercial partners), or of everybody in batches."""
        self.env.flush_all()
        if partners is not None:
            self._refresh_batch(partners.commercial_partner_id.ids)
        else:
            for batch in self._refresh_batches():
                self._refresh_batch(batch)
        self._invalidate_exposure()

    @api.model
    def _refresh_batches(self):
        """Lists of commercial partners for the full refresh, by ascending id: every commercial partner,
        and whoever still has a row (a company that became a contact loses its row)."""
        self.env.cr.execute(
            """
            SELECT id FROM res_partner WHERE commercial_partner_id = id
             UNION
            SELECT partner_id FROM adv_credit_exposure
             ORDER BY 1
            """
        )
        return [
            list(batch)
            for batch in split_every(REFRESH_BATCH_SIZE, [row[0] for row in self.env.cr.fetchall()])
        ]

    @api.model
    def _refresh_batch(self, partner_ids):
        if partner_ids:
            self.env.cr.execute("SELECT adv_credit_refresh_exposure(%s::integer[])", [list(partner_ids)])

    @api.model
    def _from_scratch_sql(self):
        """SQL of the exposure of everybody computed from the documents in one statement, without the
        table: what the table must hold (tests, load runs)."""
        return SQL(
            COMPUTED_EXPOSURE.format(
                items=open_receivables_sql().code,
                m="m.commercial_partner_id IS NOT NULL",
                rp="TRUE",
                d="TRUE",
            )
        )

    def _invalidate_exposure(self):
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(self.env["res.partner"]._adv_credit_computed_fields())

    @api.model
    def _cron_refresh(self):
        """Daily job: buckets depend on today's date (not due -> overdue), rebuild them batch by batch.

        In a cron run, each batch is committed with the cron progress API and a failing batch is logged and
        skipped (the triggers keep its customers current; the next run ages them). The refresh is idempotent:
        a run cut short is simply redone by the next call. Called outside a cron (a test, a user's
        request), it is the caller's transaction and any error is the caller's.
        """
        if not in_cron_run(self.env):
            self._refresh()
            return
        self.env.flush_all()
        batches = self._refresh_batches()
        for done, batch in enumerate(batches, start=1):
            try:
                with self.env.cr.savepoint():
                    self._refresh_batch(batch)
            except Exception:
                _logger.exception(
                    "Credit exposure refresh: batch of %s customers from #%s failed, skipped",
                    len(batch),
                    batch[0],
                )
            self._invalidate_exposure()
            commit_progress(self.env, done, len(batches) - done)

import calendar
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index, create_unique_index, sql

from odoo.addons.adv_credit_mgmt.tools.receivables import open_receivables_sql
from odoo.addons.adv_order_control.tools import commit_progress, in_cron_run, try_company_lock

from . import receivable_marks

_logger = logging.getLogger(__name__)

# Measures summed over the facts of a month, in the order of the INSERT.
SUMMED_MEASURES = [
    "invoice_count",
    "invoice_amount",
    "refund_count",
    "refund_amount",
    "error_refund_count",
    "error_refund_amount",
    "revenue_untaxed",
    "delay_base",
    "delay_weighted",
    "otif_count",
    "otif_base",
    "receivable_end",
    "receivable_not_due",
    "orders_handled",
    "dispute_count",
    "dispute_amount",
    "dispute_resolved_count",
    "dispute_resolution_days",
    "dispute_resolved_in_time",
    "fae_amount",
    "pca_amount",
]


# Months of credit sales the countback DSO goes back over, the month itself included.
COUNTBACK_MONTHS = 12

# Ratios stored empty (NULL) when their base is zero or less, with the field saying whether the base is
# there: the ORM reads an empty float as 0.0, so screens and the export ask this field instead.
RATIO_BASES = {
    "dso_simple": "dso_meaningful",
    "dso_best": "dso_meaningful",
    "days_delinquent": "dso_meaningful",
    "billing_delay": "delay_base",
    "credit_note_rate": "invoice_count",
    "billing_error_rate": "invoice_count",
    "dispute_rate": "invoice_count",
    "credit_note_amount_rate": "invoice_amount",
    "dispute_amount_rate": "invoice_amount",
    "dispute_resolution_time": "dispute_resolved_count",
    "dispute_in_time_rate": "dispute_resolved_count",
    "billing_otif": "otif_base",
}


class AdvKpiSnapshot(models.Model):
    """Monthly fact table of the order-to-cash KPIs: one row per company, month and dimension value.

    Rows are written by set-based SQL (:meth:`_compute_month`), never one by one."""

    _name = "adv.kpi.snapshot"
    _description = "ADV KPI Monthly Snapshot"
    _order = "month desc, company_id, dimension, id"
    _rec_name = "month"
    # Rows are facts written by SQL; computed_on says when. Without the log columns, inserting a month
    # checks two foreign keys fewer per row.
    _log_access = False

    # Searched through the unique key index (company, dimension, month, partner, user) and the month index:
    # no index of their own, each would slow the monthly insert.
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(required=True, readonly=True, index=True, help="First day of the month.")
    date_end = fields.Date(string="Month End", readonly=True)
    as_of_date = fields.Date(
        string="As of",
        readonly=True,
        help="Date the figures of the row are as of: the month's last day once the month is over, the "
        "day of the computation for the month in progress (receivables, due or overdue, on that day; "
        "sales of the month so far).",
    )
    days = fields.Integer(
        string="Days Counted",
        readonly=True,
        help="Days of the month up to the as-of date: all of them once the month is over.",
    )
    dimension = fields.Selection(
        [
            ("company", "Company"),
            ("customer", "Customer"),
            ("salesperson", "Salesperson"),
            ("agent", "ADV Agent"),
        ],
        required=True,
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index="btree_not_null")
    user_id = fields.Many2one(
        "res.users",
        readonly=True,
        index="btree_not_null",
        help="Salesperson or ADV agent, depending on the dimension.",
    )
    is_frozen = fields.Boolean(
        string="Frozen",
        readonly=True,
        help="Month of a closed billing period: recomputation leaves it as is.",
    )
    computed_on = fields.Datetime(readonly=True)
    # Summed measures (company currency, amounts tax included unless said otherwise).
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    invoice_amount = fields.Monetary(string="Invoiced (tax incl.)", readonly=True)
    refund_count = fields.Integer(string="Credit Notes", readonly=True)
    refund_amount = fields.Monetary(string="Credited (tax incl.)", readonly=True)
    error_refund_count = fields.Integer(string="Billing-error Credit Notes", readonly=True)
    error_refund_amount = fields.Monetary(string="Billing Errors Credited", readonly=True)
    revenue_untaxed = fields.Monetary(string="Net Revenue (untaxed)", readonly=True)
    credit_sales = fields.Monetary(
        string="Credit Sales (tax incl.)",
        readonly=True,
        help="Invoices minus credit notes of the month, tax incl.",
    )
    delay_base = fields.Monetary(string="Amount with a Billing Delay", readonly=True)
    delay_weighted = fields.Float(string="Amount x Delay", readonly=True)
    otif_count = fields.Integer(string="Invoices OTIF", readonly=True)
    otif_base = fields.Integer(string="Invoices with a Deadline", readonly=True)
    receivable_end = fields.Monetary(
        string="Receivables", readonly=True, help="Open receivables on the as-of date."
    )
    receivable_not_due = fields.Monetary(
        string="Not Yet Due", readonly=True, help="Open receivables not yet due on the as-of date."
    )
    receivable_overdue = fields.Monetary(
        string="Overdue", readonly=True, help="Open receivables overdue on the as-of date."
    )
    orders_handled = fields.Integer(readonly=True)
    dispute_count = fields.Integer(string="Disputes", readonly=True)
    dispute_amount = fields.Monetary(string="Disputed Amount", readonly=True)
    dispute_resolved_count = fields.Integer(string="Disputes Resolved", readonly=True)
    dispute_resolution_days = fields.Float(string="Resolution Days (sum)", readonly=True)
    dispute_resolved_in_time = fields.Integer(string="Resolved within Deadline", readonly=True)
    fae_amount = fields.Monetary(
        string="FAE", readonly=True, help="Accrued revenue not yet invoiced at month end."
    )
    pca_amount = fields.Monetary(string="PCA", readonly=True, help="Deferred revenue at month end.")
    # Ratios, stored so that pivots and the dashboard read them without computing. Empty (NULL) when
    # their base is zero (see RATIO_BASES): SQL's AVG, hence the pivot, leaves them out.
    dso_meaningful = fields.Boolean(
        string="DSO Meaningful",
        readonly=True,
        help="Credit sales of the month are positive. Otherwise DSO, best possible DSO and days "
        "delinquent mean nothing and are left empty.",
    )
    billing_delay = fields.Float(
        string="Billing Delay (days)",
        readonly=True,
        aggregator="avg",
        help="Amount-weighted average of invoice date - max(period end, delivery date, milestone reached "
        "date), on untaxed amounts of the month's invoices that have such a reference date.",
    )
    dso_simple = fields.Float(
        string="DSO (days)",
        readonly=True,
        aggregator="avg",
        help="Receivables on the as-of date / credit sales of the month x days counted, both tax included; "
        "empty when the credit sales are zero or negative.",
    )
    dso_countback = fields.Float(
        string="Countback DSO (days)",
        readonly=True,
        aggregator="avg",
        help="Receivables at month end exhausted by the credit sales of each month going backwards: whole "
        "months count their days, the last one its share of days.",
    )
    sales_history = fields.Json(
        string="Credit Sales History",
        readonly=True,
        help="Credit sales of the month and of the eleven months before, most recent first: the countback "
        "DSO of the next month starts from it.",
    )
    dso_best = fields.Float(
        string="Best Possible DSO (days)",
        readonly=True,
        aggregator="avg",
        help="Receivables not yet due on the as-of date / credit sales of the month x days counted; empty "
        "when the credit sales are zero or negative.",
    )
    days_delinquent = fields.Float(
        string="Average Days Delinquent",
        readonly=True,
        aggregator="avg",
        help="DSO - best possible DSO; empty when the credit sales are zero or negative.",
    )
    credit_note_rate = fields.Float(
        string="Credit-note Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Credit notes / invoices, by count.",
    )
    credit_note_amount_rate = fields.Float(
        string="Credit-note Rate by Amount (%)",
        readonly=True,
        aggregator="avg",
        help="Credited amount / invoiced amount, tax included.",
    )
    billing_error_rate = fields.Float(
        string="Billing-error Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Billing errors / invoices, by count: credit notes whose reason is a billing error, and what "
        "installed bridges count as one (e.g. invoices rejected by the e-invoicing platform).",
    )
    dispute_rate = fields.Float(
        string="Dispute Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Invoices disputed / invoices, by count.",
    )
    dispute_amount_rate = fields.Float(
        string="Dispute Rate by Amount (%)",
        readonly=True,
        aggregator="avg",
        help="Disputed amount / invoiced amount.",
    )
    dispute_resolution_time = fields.Float(
        string="Dispute Resolution Time (days)",
        readonly=True,
        aggregator="avg",
        help="Average days from opening to resolution of the disputes resolved in the month.",
    )
    dispute_in_time_rate = fields.Float(
        string="Resolved within Deadline (%)",
        readonly=True,
        aggregator="avg",
        help="Disputes resolved within the agreed deadline / disputes resolved.",
    )
    billing_otif = fields.Float(
        string="Billing OTIF (%)",
        readonly=True,
        aggregator="avg",
        help="Invoices issued by the invoicing deadline (billing period deadline, else reference date + the "
        "company's invoicing deadline days) and never credited / invoices with a deadline.",
    )
    daily_revenue = fields.Monetary(
        readonly=True,
        help="Credit sales of the month / days of a month in the company's day-count convention.",
    )
    cash_tied_delay = fields.Monetary(
        string="Cash Tied Up by Billing Delay", readonly=True, help="Daily revenue x average billing delay."
    )
    cash_tied_late = fields.Monetary(
        string="Cash Tied Up by Late Payment", readonly=True, help="Daily revenue x average days delinquent."
    )

    def init(self):
        # Receivables at a past month end only replay reconciliations dated after it.
        create_index(
            self.env.cr, "adv_kpi_partial_reconcile_max_date_idx", "account_partial_reconcile", ["max_date"]
        )
        create_unique_index(
            self.env.cr,
            "adv_kpi_snapshot_key_idx",
            self._table,
            ["company_id", "dimension", "month", "COALESCE(partner_id, 0)", "COALESCE(user_id, 0)"],
        )
        # On upgrade: refresh the marking triggers. On install, post_init_hook creates them once the
        # columns they watch exist (account_move.adv_agent_id may come after this model).
        if sql.column_exists(self.env.cr, "account_move", "adv_agent_id"):
            receivable_marks.install(self.env.cr)
        self._init_as_of_and_empty_ratios()

    def _init_as_of_and_empty_ratios(self):
        """On upgrade, rows computed before the as-of date and the empty ratios existed: as of their month
        end, ratios over nothing emptied (the nightly cron recomputes the month in progress)."""
        empty = SQL(", ").join(
            SQL(
                "%s = CASE WHEN %s THEN %s END",
                SQL.identifier(name),
                SQL("credit_sales > 0") if base == "dso_meaningful" else SQL("%s > 0", SQL.identifier(base)),
                SQL.identifier(name),
            )
            for name, base in RATIO_BASES.items()
        )
        self.env.cr.execute(
            SQL(
                """UPDATE adv_kpi_snapshot
                      SET as_of_date = date_end, dso_meaningful = credit_sales > 0, %s
                    WHERE as_of_date IS NULL""",
                empty,
            )
        )

    # ------------------------------------------------------------------ actions
    @api.readonly
    def action_view_invoices(self):
        """Drill down to the invoices behind a snapshot row (reads only: served by a read replica)."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("invoice_date", ">=", self.month),
            ("invoice_date", "<=", self.as_of_date or self.date_end),
        ]
        field = {"customer": "partner_id", "salesperson": "salesperson_id", "agent": "agent_id"}.get(
            self.dimension
        )
        if field:
            domain.append((field, "=", (self.partner_id if field == "partner_id" else self.user_id).id))
        action = self.env["ir.actions.act_window"]._for_xml_id("adv_kpi.action_adv_kpi_invoice_report")
        action["domain"] = domain
        action["context"] = {}
        return action

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_compute_snapshots(self):
        """Previous and current month of every company, then the early-warning signals, company by company.

        A company without any snapshot yet (first run after installation) gets the last twelve months, so
        that trends and signals have a history from the first day.

        In a cron run each company is committed (cron progress API); a company that fails is logged and
        skipped, the others go on; a run cut short resumes with the companies not computed since the last
        completed run. A company is computed by one transaction at a time (advisory lock): a second worker
        leaves it to the first. Outside a cron run (a test, a request) nothing is committed."""
        current = fields.Date.context_today(self).replace(day=1)
        companies = self.env["res.company"].search([("active", "=", True)], order="id")
        with_history = self._read_group([("company_id", "in", companies.ids)], ["company_id"])
        new = companies - self.env["res.company"].union(*(company for [company] in with_history))
        todo = companies - self._computed_since_last_run(companies, current)
        for done, company in enumerate(todo, start=1):
            try:
                with self.env.cr.savepoint():
                    if try_company_lock(self.env, "adv_kpi_snapshots", company.id):
                        self._compute_company(company, current, history=company in new)
                    else:
                        _logger.info("KPI snapshots of %s: computed by another worker now", company.name)
            except Exception:
                _logger.exception("KPI snapshots of %s failed; the other companies go on", company.name)
            commit_progress(self.env, done, len(todo) - done)
        self._prune_marks()

    @api.model
    def _compute_company(self, company, current, history=False):
        if history:
            self._compute_months(
                company, current - relativedelta(months=11), current - relativedelta(months=2)
            )
        self._compute_months(company, current - relativedelta(months=1), current)
        self.env["adv.kpi.signal"]._refresh(company)

    @api.model
    def _computed_since_last_run(self, companies, current):
        """Companies whose current month was computed since the job last completed: in a cron run resumed
        after a crash, they are done already."""
        lastcall = self.env.context.get("lastcall")
        if not (in_cron_run(self.env) and lastcall):
            return self.env["res.company"]
        self.env.cr.execute(
            """
            SELECT company_id FROM adv_kpi_snapshot_base
             WHERE company_id = ANY(%s) AND month = %s AND computed_at > %s
            """,
            [companies.ids, current, lastcall],
        )
        return self.env["res.company"].browse([row[0] for row in self.env.cr.fetchall()])

    # ------------------------------------------------------------------ business
    @api.model
    def _compute_months(self, companies, date_from, date_to):
        """(Re)compute every month from ``date_from`` to ``date_to``, oldest first (the countback DSO
        reads the months before)."""
        if date_from > date_to:
            raise UserError(self.env._("The first month must come before the last month."))
        month = date_from.replace(day=1)
        # Months that have not started have no figures yet.
        date_to = min(date_to, fields.Date.context_today(self))
        while month <= date_to:
            for company in companies:
                self._compute_month(company, month)
            month += relativedelta(months=1)

    @api.model
    def _compute_month(self, company, month):
        """Replace the snapshot rows of ``company`` for ``month`` (any date in it); idempotent.

        A month that is over is computed as of its last day; the month in progress as of today, not
        projected to its end (an invoice due later this month is not overdue yet). Months of a closed
        billing period keep their rows once computed. Returns the number of rows."""
        start = month.replace(day=1)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        today = fields.Date.context_today(self)
        if start > today:
            raise UserError(
                self.env._("%s has not started yet: its KPIs cannot be computed.", start.strftime("%m/%Y"))
            )
        as_of = min(end, today)
        days = (as_of - start).days + 1
        cr = self.env.cr
        self.env.flush_all()
        frozen = self._is_period_closed(company, start, end)
        if frozen:
            cr.execute(
                SQL(
                    "UPDATE adv_kpi_snapshot SET is_frozen = TRUE WHERE company_id = %s AND month = %s",
                    company.id,
                    start,
                )
            )
            if cr.rowcount:
                self.invalidate_model(["is_frozen"])
                return 0
        chained = not self.env.context.get("adv_kpi_full") and self._is_chain_base_valid(company, start)
        cr.execute(
            SQL("DELETE FROM adv_kpi_snapshot WHERE company_id = %s AND month = %s", company.id, start)
        )
        # The planner's cost estimate of the LATERAL joins triggers JIT compilation, which alone takes
        # seconds while the query itself runs in milliseconds.
        cr.execute("SET LOCAL jit = off")
        cr.execute(self._insert_query(company, start, end, days, frozen, chained, as_of=as_of))
        count = cr.rowcount
        cr.execute("RESET jit")
        self._record_base(company, start)
        self.invalidate_model()
        return count

    @api.model
    def _is_chain_base_valid(self, company, start):
        """True when the previous month's snapshot can serve as the base of ``start``'s receivables: it
        was computed after that month ended, as of its last day, and saw every change marked on it or an
        earlier month (see receivable_marks)."""
        previous = start - relativedelta(months=1)
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM adv_kpi_snapshot_base b
                 WHERE b.company_id = %(company)s AND b.month = %(previous)s
                   AND b.computed_at >= %(start)s
                   AND EXISTS (SELECT 1 FROM adv_kpi_snapshot s
                                WHERE s.company_id = b.company_id AND s.month = b.month
                                  AND s.dimension = 'company' AND s.as_of_date = s.date_end)
                   AND NOT EXISTS (
                       SELECT 1 FROM adv_kpi_receivable_mark m
                        WHERE m.company_id = b.company_id AND m.month <= b.month
                          AND NOT %(seen)s)
                """,
                seen=receivable_marks.SEEN,
                company=company.id,
                previous=previous,
                start=start,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _record_base(self, company, start):
        """Remember what this computation saw: the transactions of its snapshot and, for its own
        transaction, the marks made before it."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO adv_kpi_snapshot_base (company_id, month, computed_at, snap, xid, seq)
                VALUES (%s, %s, now() AT TIME ZONE 'UTC', pg_current_snapshot(), pg_current_xact_id(),
                        nextval('adv_kpi_receivable_mark_seq'))
                ON CONFLICT (company_id, month) DO UPDATE
                   SET computed_at = EXCLUDED.computed_at, snap = EXCLUDED.snap, xid = EXCLUDED.xid,
                       seq = EXCLUDED.seq
                """,
                company.id,
                start,
            )
        )

    @api.model
    def _prune_marks(self):
        """Forget the marks every stored snapshot of their month or later has seen."""
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM adv_kpi_receivable_mark m
                 WHERE NOT EXISTS (SELECT 1 FROM adv_kpi_snapshot_base b
                                    WHERE b.company_id = m.company_id AND b.month >= m.month AND NOT %s)
                """,
                receivable_marks.SEEN,
            )
        )

    @api.model
    def _is_period_closed(self, company, start, end):
        self.env.cr.execute(
            SQL(
                """SELECT 1 FROM adv_billing_period
                    WHERE company_id = %s AND state = 'closed' AND date_start <= %s AND date_end >= %s
                    LIMIT 1""",
                company.id,
                end,
                start,
            )
        )
        return bool(self.env.cr.fetchone())

    # ------------------------------------------------------------------ hooks for bridges
    @api.model
    def _extra_measures(self):
        """Summed measures a bridge adds (its own snapshot fields, integer or float), summed over the facts
        of a month like those of SUMMED_MEASURES. A bridge appends its names to ``super()``'s list and gives
        their facts through :meth:`_extra_facts_queries`."""
        return []

    @api.model
    def _extra_facts_queries(self, company, start, end):
        """Facts of the bridges' measures, from ``start`` to ``end`` (the as-of date): a list of
        ``(names, SQL)``, each SELECT naming its columns ``partner_id``, ``salesperson_id``, ``agent_id``
        (the dimensions, as in :meth:`_facts_queries`) and the measures of ``names`` (others count 0)."""
        return []

    @api.model
    def _extra_ratios(self):
        """Ratios a bridge adds: {field name: SQL expression over ``r``, the month's summed row}. Each is
        stored empty when the base :meth:`_ratio_bases` gives it is zero or less."""
        return {}

    @api.model
    def _ratio_bases(self):
        """RATIO_BASES and the bases of the bridges' ratios: what screens and the export ask to tell an
        empty ratio from a zero."""
        return dict(RATIO_BASES)

    @api.model
    def _summed_measures(self):
        return SUMMED_MEASURES + self._extra_measures()

    @api.model
    def _all_facts_queries(self, company, start, end, chained=False):
        """The sources of :meth:`_facts_queries` and of the bridges, every measure of
        :meth:`_summed_measures` in order (0 where a source says nothing of it)."""
        extra = self._extra_measures()
        if not extra:
            return self._facts_queries(company, start, end, chained)
        zeros = SQL(", ").join(SQL("0") for _name in extra)
        queries = [
            SQL("SELECT f.*, %s FROM (%s) f", zeros, query)
            for query in self._facts_queries(company, start, end, chained)
        ]
        base_zeros = SQL(", ").join(SQL("0") for _name in SUMMED_MEASURES)
        for names, query in self._extra_facts_queries(company, start, end):
            values = SQL(", ").join(
                SQL("e.%s", SQL.identifier(name)) if name in names else SQL("0") for name in extra
            )
            queries.append(
                SQL(
                    "SELECT e.partner_id, e.salesperson_id, e.agent_id, %s, %s FROM (%s) e",
                    base_zeros,
                    values,
                    query,
                )
            )
        return queries

    @api.model
    def _facts_queries(self, company, start, end, chained=False):
        """One SELECT per data source, each giving (partner_id, salesperson_id, agent_id) and the summed
        measures in SUMMED_MEASURES order (0 where the source says nothing), from ``start`` to ``end``,
        the as-of date of the row. ``chained``: receivables are the month's movements, to add to the
        previous month's (see :meth:`_insert_query`)."""
        invoices = self.env["adv.kpi.invoice.report"]._facts_query(
            SQL("m.company_id = %s AND m.invoice_date BETWEEN %s AND %s", company.id, start, end)
        )
        return [
            SQL(
                """SELECT partner_id, salesperson_id, agent_id,
                          invoice_count, CASE WHEN invoice_count = 1 THEN amount_total ELSE 0 END,
                          refund_count, CASE WHEN refund_count = 1 THEN amount_total ELSE 0 END,
                          is_billing_error::int, CASE WHEN is_billing_error THEN amount_total ELSE 0 END,
                          CASE WHEN invoice_count = 1 THEN amount_untaxed ELSE -amount_untaxed END,
                          CASE WHEN billing_delay IS NOT NULL THEN amount_untaxed ELSE 0 END,
                          COALESCE(delay_amount, 0),
                          otif_count, otif_base,
                          0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                     FROM (%s) inv""",
                invoices,
            ),
            *self._receivable_facts_queries(company, start, end, chained),
            SQL(
                """SELECT rp.commercial_partner_id, so.user_id, COALESCE(so.adv_agent_id, so.create_uid),
                          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                          1, 0, 0, 0, 0, 0, 0, 0
                     FROM sale_order so
                     JOIN res_partner rp ON rp.id = so.partner_id
                    WHERE so.company_id = %s AND so.state = 'sale'
                      AND so.date_order >= %s AND so.date_order < %s""",
                company.id,
                start,
                end + relativedelta(days=1),
            ),
            SQL(
                """SELECT acc.partner_id, acc.user_id, COALESCE(so.adv_agent_id, so.create_uid),
                          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                          acc.fae_amount, acc.pca_amount
                     FROM adv_period_accrual acc
                     JOIN sale_order so ON so.id = acc.order_id
                    WHERE acc.company_id = %s AND acc.date BETWEEN %s AND %s""",
                company.id,
                start,
                end,
            ),
            *self._dispute_facts_queries(company, start, end),
        ]

    @api.model
    def _receivable_facts_sql(self, company, end):
        """Receivables open at month end and their not yet due part, by the one definition of the
        buckets (adv_credit_mgmt's tools/receivables.py: overdue from the day after the due date, open
        credit notes netted per customer), on the dimensions of each item's entry."""
        return self._receivable_bucket_sql(company, end, SQL("SUM(i.amount)"))

    @api.model
    def _receivable_bucket_sql(self, company, end, receivable_end):
        # One row per customer, salesperson and agent: the grouping sets then sum a few hundred rows
        # instead of every open line.
        return SQL(
            """SELECT i.partner_id, m.invoice_user_id, COALESCE(m.adv_agent_id, m.create_uid),
                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                      %s, SUM(i.amount_not_due),
                      0, 0, 0, 0, 0, 0, 0, 0
                 FROM (%s) i
                 JOIN account_move m ON m.id = i.move_id
             GROUP BY 1, 2, 3""",
            receivable_end,
            open_receivables_sql(company.ids, end),
        )

    @api.model
    def _receivable_facts_queries(self, company, start, end, chained):
        if chained:
            return [
                self._receivable_movement_sql(company, start, end),
                self._receivable_not_due_sql(company, end),
            ]
        return [self._receivable_facts_sql(company, end)]

    @api.model
    def _receivable_movement_sql(self, company, start, end):
        """What the month changed in the open receivables: posted receivable lines dated in the month, less
        (debit side) or plus (credit side) the reconciliations dated in the month, each on the dimensions
        of its own entry. Open at month end = open at the previous month end + this. The month's lines
        are read through their entries, by date, as the native aggregate does."""
        return SQL(
            """SELECT rp.commercial_partner_id, mv.salesperson_id, mv.agent_id,
                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                      SUM(mv.amount), 0,
                      0, 0, 0, 0, 0, 0, 0, 0
                 FROM (
                   SELECT aml.partner_id, m.invoice_user_id AS salesperson_id,
                          COALESCE(m.adv_agent_id, m.create_uid) AS agent_id, aml.balance AS amount
                     FROM account_move m
                     JOIN account_move_line aml ON aml.move_id = m.id
                    WHERE m.date BETWEEN %(start)s AND %(end)s AND m.state = 'posted'
                      AND m.company_id = %(company)s AND aml.account_id = ANY(%(accounts)s)
                      AND aml.date BETWEEN %(start)s AND %(end)s
                   UNION ALL
                   SELECT aml.partner_id, m.invoice_user_id, COALESCE(m.adv_agent_id, m.create_uid),
                          side.amount
                     FROM account_partial_reconcile p
                    -- Both sides as rows: equality joins instead of an OR join on the two lines.
                    CROSS JOIN LATERAL (VALUES (p.debit_move_id, -p.amount), (p.credit_move_id, p.amount))
                          side(line_id, amount)
                     JOIN account_move_line aml ON aml.id = side.line_id
                     JOIN account_move m ON m.id = aml.move_id
                    WHERE p.company_id = %(company)s AND p.max_date BETWEEN %(start)s AND %(end)s
                      AND aml.account_id = ANY(%(accounts)s) AND aml.parent_state = 'posted'
                 ) mv
                 LEFT JOIN res_partner rp ON rp.id = mv.partner_id
             GROUP BY 1, 2, 3""",
            company=company.id,
            start=start,
            end=end,
            accounts=self._receivable_account_ids(),
        )

    @api.model
    def _receivable_not_due_sql(self, company, end):
        """Receivables not yet due at month end, when the month end total is chained: the split needs
        each customer's open items (its credit notes absorb its overdue debts first)."""
        return self._receivable_bucket_sql(company, end, SQL("0"))

    @api.model
    def _receivable_account_ids(self):
        self.env.cr.execute(
            "SELECT array_agg(id) FROM account_account WHERE account_type = 'asset_receivable'"
        )
        return self.env.cr.fetchone()[0] or []

    @api.model
    def _dispute_facts_queries(self, company, start, end):
        """Disputes of adv_credit_mgmt's ``adv.dispute``, same columns as the other sources."""
        if "adv.dispute" not in self.env:
            return []
        return [self._dispute_facts_sql(company, start, end)]

    @api.model
    def _dispute_facts_sql(self, company, start, end):
        """Disputes opened in the month give the invoices disputed and the disputed amount; disputes
        resolved in the month give the resolution days (``date_resolved`` - ``date_open``) and whether
        they were resolved by their agreed deadline. The responsible of a dispute is its ADV agent."""
        return SQL(
            """SELECT rp.commercial_partner_id, rp.user_id, d.user_id,
                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                      CASE WHEN d.date_open BETWEEN %(start)s AND %(end)s
                           THEN GREATEST((SELECT COUNT(*) FROM adv_dispute_account_move_rel rel
                                           WHERE rel.dispute_id = d.id), 1)
                           ELSE 0 END,
                      CASE WHEN d.date_open BETWEEN %(start)s AND %(end)s
                           THEN COALESCE(d.amount_disputed, 0) ELSE 0 END,
                      resolved.done::int,
                      CASE WHEN resolved.done THEN d.date_resolved - d.date_open ELSE 0 END,
                      (resolved.done AND d.date_resolved <= COALESCE(d.deadline, d.date_resolved))::int,
                      0, 0
                 FROM adv_dispute d
                 JOIN res_partner rp ON rp.id = d.partner_id
                CROSS JOIN LATERAL (
                      SELECT d.state = 'resolved' AND d.date_resolved BETWEEN %(start)s AND %(end)s AS done
                     ) resolved
                WHERE d.company_id = %(company)s AND d.state != 'cancel'
                  AND (d.date_open BETWEEN %(start)s AND %(end)s
                       OR d.date_resolved BETWEEN %(start)s AND %(end)s)""",
            company=company.id,
            start=start,
            end=end,
        )

    @api.model
    def _carry_sql(self, company, start):
        """The month's grouped facts with the previous month's receivables added, row by row (a
        customer, salesperson or agent with open items and no movement keeps its previous balance)."""
        measures = SQL(", ").join(
            SQL("COALESCE(g.%s, 0) AS %s", SQL.identifier(name), SQL.identifier(name))
            for name in self._summed_measures()
            if name != "receivable_end"
        )
        return SQL(
            """
            SELECT COALESCE(g.dimension, p.dimension) AS dimension,
                   COALESCE(g.partner_id, p.partner_id) AS partner_id,
                   COALESCE(g.user_id, p.user_id) AS user_id,
                   %(measures)s,
                   COALESCE(g.receivable_end, 0) + COALESCE(p.receivable_end, 0) AS receivable_end
              FROM month_grouped g
              FULL JOIN (SELECT dimension, partner_id, user_id, receivable_end FROM adv_kpi_snapshot
                          WHERE company_id = %(company)s AND month = %(previous)s AND receivable_end <> 0) p
                ON p.dimension = g.dimension AND COALESCE(p.partner_id, 0) = COALESCE(g.partner_id, 0)
               AND COALESCE(p.user_id, 0) = COALESCE(g.user_id, 0)
            """,
            measures=measures,
            company=company.id,
            previous=start - relativedelta(months=1),
        )

    @api.model
    def _countback_sql(self, start, days_counted):
        """Countback DSO of a ``history`` row ``r``: its receivables exhausted by the credit sales of each
        month going backwards (``r.sales_1``: the month, ``r.sales_2``: the month before...; NULL before the
        first stored month): whole months count their days, the last one its share, and the walk stops once
        the receivables are exhausted (a month without sales after that adds nothing). One expression per
        row, unrolled over the twelve months, so that PostgreSQL evaluates it without a subquery per row.
        The month itself counts its ``days_counted`` (up to its as-of date)."""

        def cum(k):  # credit sales of the k most recent months
            return (
                SQL(" + ").join(SQL.identifier("r", f"sales_{i}") for i in range(1, k + 1)) if k else SQL("0")
            )

        steps = []
        for k in range(1, COUNTBACK_MONTHS + 1):
            month = start - relativedelta(months=k - 1)
            days = days_counted if k == 1 else calendar.monthrange(month.year, month.month)[1]
            steps.append(
                SQL(
                    """CASE WHEN %(sales)s IS NULL OR %(before)s >= r.receivable_end THEN 0
                            WHEN %(cum)s <= r.receivable_end THEN %(days)s
                            ELSE (r.receivable_end - (%(before)s)) / %(sales)s * %(days)s END""",
                    sales=SQL.identifier("r", f"sales_{k}"),
                    cum=cum(k),
                    before=cum(k - 1),
                    days=days,
                )
            )
        return SQL("CASE WHEN r.receivable_end > 0 THEN %s ELSE 0 END", SQL(" + ").join(steps))

    @api.model
    def _insert_query(self, company, start, end, days, frozen, chained=False, as_of=None):
        """INSERT of the rows of the month ``start``-``end``, from its facts up to ``as_of`` (default: the
        month end) over ``days`` days counted. Ratios whose base is zero or less are left NULL."""
        as_of = as_of or end
        measures = self._summed_measures()
        facts = SQL(" UNION ALL ").join(self._all_facts_queries(company, start, as_of, chained))
        columns = SQL(", ").join(SQL.identifier(name) for name in measures)
        sums = SQL(", ").join(
            SQL("COALESCE(SUM(%s), 0) AS %s", SQL.identifier(name), SQL.identifier(name)) for name in measures
        )
        extra_ratios = self._extra_ratios()
        extra_ratio_columns = SQL("").join(SQL(", %s", SQL.identifier(name)) for name in extra_ratios)
        extra_ratio_values = SQL("").join(
            SQL(", CASE WHEN r.%s > 0 THEN %s END", SQL.identifier(self._ratio_bases()[name]), value)
            for name, value in extra_ratios.items()
        )
        return SQL(
            """
            WITH facts (partner_id, salesperson_id, agent_id, %(columns)s) AS (%(facts)s),
            month_grouped AS (
                SELECT CASE WHEN GROUPING(partner_id) = 0 THEN 'customer'
                            WHEN GROUPING(salesperson_id) = 0 THEN 'salesperson'
                            WHEN GROUPING(agent_id) = 0 THEN 'agent'
                            ELSE 'company' END AS dimension,
                       CASE WHEN GROUPING(partner_id) = 0 THEN partner_id END AS partner_id,
                       CASE WHEN GROUPING(salesperson_id) = 0 THEN salesperson_id
                            WHEN GROUPING(agent_id) = 0 THEN agent_id END AS user_id,
                       %(sums)s
                  FROM facts
              GROUP BY GROUPING SETS ((), (partner_id), (salesperson_id), (agent_id))
            ),
            -- Chained: receivables of the previous month's rows carried over, plus the month's movements.
            grouped AS (%(grouped)s),
            rated AS (
                SELECT g.*,
                       g.invoice_amount - g.refund_amount AS credit_sales,
                       g.invoice_amount - g.refund_amount > 0 AS meaningful,
                       CASE WHEN g.delay_base > 0 THEN g.delay_weighted / g.delay_base END AS delay,
                       CASE WHEN g.invoice_amount - g.refund_amount > 0
                            THEN g.receivable_end / (g.invoice_amount - g.refund_amount) * %(days)s
                            END AS dso,
                       CASE WHEN g.invoice_amount - g.refund_amount > 0
                            THEN g.receivable_not_due / (g.invoice_amount - g.refund_amount) * %(days)s
                            END AS bpdso,
                       -- Sales per day of the days counted, in the company's day-count convention.
                       GREATEST(g.invoice_amount - g.refund_amount, 0) / %(day_count)s
                       * %(month_days)s / %(days)s AS daily
                  FROM grouped g
            ),
            -- The month's credit sales before those of the eleven months before it, from the previous
            -- month's row: the countback reads one stored row per key instead of twelve months of rows.
            history AS MATERIALIZED (
                SELECT r.*,
                       jsonb_build_array(GREATEST(r.credit_sales, 0))
                       || COALESCE(jsonb_path_query_array(p.sales_history, %(kept)s::jsonpath), '[]')
                       AS sales_history,
                       %(sales_columns)s
                  FROM rated r
                  -- A lookup per row through the unique key index: a plain join is planned as a nested
                  -- loop over the whole previous month when the statistics predate that month.
                  LEFT JOIN LATERAL (
                        SELECT prev.sales_history FROM adv_kpi_snapshot prev
                         WHERE prev.company_id = %(company)s AND prev.dimension = r.dimension
                           AND prev.month = %(previous)s
                           AND COALESCE(prev.partner_id, 0) = COALESCE(r.partner_id, 0)
                           AND COALESCE(prev.user_id, 0) = COALESCE(r.user_id, 0)
                         -- the key is unique; LIMIT keeps the lookup from being flattened into a join
                         LIMIT 1
                       ) p ON TRUE
            )
            INSERT INTO adv_kpi_snapshot (
                computed_on,
                company_id, month, date_end, as_of_date, days, is_frozen, dimension, partner_id, user_id,
                %(columns)s,
                receivable_overdue, credit_sales, dso_meaningful, billing_delay,
                dso_simple, dso_countback, dso_best, days_delinquent,
                credit_note_rate, credit_note_amount_rate, billing_error_rate,
                dispute_rate, dispute_amount_rate, dispute_resolution_time, dispute_in_time_rate,
                billing_otif, daily_revenue, cash_tied_delay, cash_tied_late, sales_history
                %(extra_ratio_columns)s)
            SELECT %(now)s,
                   %(company)s, %(start)s, %(end)s, %(as_of)s, %(days)s, %(frozen)s,
                   r.dimension, r.partner_id, r.user_id,
                   %(columns)s,
                   r.receivable_end - r.receivable_not_due, r.credit_sales, r.meaningful, r.delay,
                   r.dso, %(countback)s, r.bpdso, r.dso - r.bpdso,
                   -- A rate over nothing is empty (NULL), not zero or a hundred percent: see RATIO_BASES.
                   CASE WHEN r.invoice_count > 0 THEN 100.0 * r.refund_count / r.invoice_count END,
                   CASE WHEN r.invoice_amount > 0 THEN 100.0 * r.refund_amount / r.invoice_amount END,
                   CASE WHEN r.invoice_count > 0 THEN 100.0 * r.error_refund_count / r.invoice_count END,
                   CASE WHEN r.invoice_count > 0 THEN 100.0 * r.dispute_count / r.invoice_count END,
                   CASE WHEN r.invoice_amount > 0 THEN 100.0 * r.dispute_amount / r.invoice_amount END,
                   CASE WHEN r.dispute_resolved_count > 0
                        THEN r.dispute_resolution_days / r.dispute_resolved_count END,
                   CASE WHEN r.dispute_resolved_count > 0
                        THEN 100.0 * r.dispute_resolved_in_time / r.dispute_resolved_count END,
                   CASE WHEN r.otif_base > 0 THEN 100.0 * r.otif_count / r.otif_base END,
                   r.daily, r.daily * COALESCE(r.delay, 0),
                   r.daily * GREATEST(COALESCE(r.dso - r.bpdso, 0), 0), r.sales_history
                   %(extra_ratio_values)s
              FROM history r
            """,
            columns=columns,
            extra_ratio_columns=extra_ratio_columns,
            extra_ratio_values=extra_ratio_values,
            facts=facts,
            sums=sums,
            grouped=self._carry_sql(company, start) if chained else SQL("SELECT * FROM month_grouped"),
            days=days,
            month_days=(end - start).days + 1,
            day_count=company._adv_kpi_days_per_month(),
            countback=self._countback_sql(start, days),
            sales_columns=SQL(", ").join(
                SQL("(p.sales_history->>%s)::float8 AS %s", k - 2, SQL.identifier(f"sales_{k}"))
                if k > 1
                else SQL("GREATEST(r.credit_sales, 0)::float8 AS sales_1")
                for k in range(1, COUNTBACK_MONTHS + 1)
            ),
            kept=f"$[0 to {COUNTBACK_MONTHS - 2}]",
            now=fields.Datetime.now(),
            company=company.id,
            start=start,
            previous=start - relativedelta(months=1),
            end=end,
            as_of=as_of,
            frozen=frozen,
        )

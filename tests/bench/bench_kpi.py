"""adv_kpi: time to compute one month's KPI snapshot, as a ratio to a single SQL aggregate over the same
month's invoice lines (target: at most 5), and time to read the dashboard's KPIs from the snapshots
(target: under 100 ms each).

The month is chained from the previous month's snapshot, as the daily cron leaves it (receivables at
month end = previous month end + the month's movements); the same month rebuilt from every open item,
what happens when an earlier month changed after its snapshot, is printed too.

setup/adv bench kpi [--bench-args --scale 20]   (scale 1: 16,667 invoices, about 50,000 customer invoice
lines over a year, one in three paid; scale 20 is the issue's 1,000,000 lines)
"""

import time
from datetime import date

import benchlib
from benchlib import best_of
from dateutil.relativedelta import relativedelta

from odoo.tools import SQL


def main():
    args = benchlib.parse_args(__doc__)
    n_invoices = int(16_667 * args.scale)
    with benchlib.bench_env() as env:
        company = env.company
        if not env["account.journal"].search_count([("type", "=", "sale"), ("company_id", "=", company.id)]):
            # A database without demo data has no chart of accounts yet.
            env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        partners = benchlib.make_customers(env, max(n_invoices // 20, 1))
        start = time.perf_counter()
        benchlib.make_invoices(env, partners, n_invoices, paid_every=3)
        generated = time.perf_counter() - start
        env.cr.execute("ANALYZE account_move_line; ANALYZE account_move; ANALYZE account_partial_reconcile")
        env.cr.execute(
            "SELECT count(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
            "WHERE m.move_type IN ('out_invoice', 'out_refund')"
        )
        n_lines = env.cr.fetchone()[0]
        month = date.today().replace(day=1) - relativedelta(months=1)
        month_end = month + relativedelta(months=1, days=-1)
        Snapshot = env["adv.kpi.snapshot"]

        def native_aggregate():
            env.cr.execute(
                """SELECT m.commercial_partner_id, count(*), sum(l.balance)
                     FROM account_move_line l JOIN account_move m ON m.id = l.move_id
                    WHERE m.company_id = %s AND m.state = 'posted'
                      AND m.move_type IN ('out_invoice', 'out_refund')
                      AND m.invoice_date BETWEEN %s AND %s
                 GROUP BY m.commercial_partner_id""",
                [company.id, month, month_end],
            )
            env.cr.fetchall()

        # The eleven months before, as the daily cron leaves them: each chained from the one before.
        start = time.perf_counter()
        Snapshot._compute_months(company, month - relativedelta(months=11), month - relativedelta(months=1))
        history = time.perf_counter() - start
        env.cr.commit()
        native = best_of(env, "native aggregate", native_aggregate)
        snapshot = best_of(env, "snapshot", lambda: Snapshot._compute_month(company, month))
        rebuild = best_of(
            env, "rebuild", lambda: Snapshot.with_context(adv_kpi_full=True)._compute_month(company, month)
        )
        # The same rows into a temporary copy of the table without foreign keys, indexes or WAL: what the
        # computation costs without the writes.
        env.cr.execute("CREATE TEMP TABLE bench_snapshot (LIKE adv_kpi_snapshot INCLUDING DEFAULTS)")
        end_day = month_end.day
        query = Snapshot._insert_query(company, month, month_end, end_day, False, chained=True)
        unwritten = SQL(
            query.code.replace("INSERT INTO adv_kpi_snapshot (", "INSERT INTO bench_snapshot (", 1),
            *query.params,
        )
        env.cr.execute("SET jit = off")
        compute_only = best_of(env, "compute only", lambda: env.cr.execute(unwritten))
        env.cr.execute("RESET jit")
        Snapshot._compute_month(company, month)
        env["adv.kpi.signal"]._refresh(company)
        rows_count = Snapshot.search_count([])
        measures = [
            "dso_simple", "dso_countback", "dso_best", "days_delinquent", "billing_delay", "credit_note_rate",
            "billing_error_rate", "dispute_rate", "billing_otif", "cash_tied_delay", "cash_tied_late",
            "fae_amount", "pca_amount",
        ]  # fmt: skip
        reads = {
            "company KPIs of the month": lambda: Snapshot.search_read(
                [("dimension", "=", "company"), ("month", "=", month)], measures
            ),
            "12-month trend (read_group)": lambda: Snapshot.read_group(
                [("dimension", "=", "company")], ["dso_simple:avg", "billing_delay:avg"], ["month:month"]
            ),
            "top 10 customers by overdue": lambda: Snapshot.read_group(
                [("dimension", "=", "customer"), ("month", "=", month)],
                ["receivable_overdue:sum"],
                ["partner_id"],
                orderby="receivable_overdue desc",
                limit=10,
            ),
            "signals": lambda: env["adv.kpi.signal"].search_read([], ["code", "value", "colour"]),
        }
        read_rows = []
        for label, func in reads.items():
            measure = best_of(env, label, func, repeat=5)
            read_rows.append((f"dashboard read: {label}", measure.seconds * 1000, "ms"))
        ratio = snapshot.seconds / native.seconds if native.seconds else 0.0
        rebuild_ratio = rebuild.seconds / native.seconds if native.seconds else 0.0
        benchlib.report(
            "adv_kpi monthly snapshot",
            [
                ("customer invoices generated", n_invoices, ""),
                ("customer invoice lines in the database", n_lines, ""),
                ("generation", generated, "s"),
                (f"native SQL aggregate of {month:%Y-%m} lines", native.seconds, "s"),
                (f"snapshot of {month:%Y-%m} (all dimensions)", snapshot.seconds, "s"),
                ("snapshot queries", snapshot.queries, ""),
                ("ratio snapshot / native aggregate", ratio, "(target <= 5)"),
                ("same rows into an unindexed temporary table", compute_only.seconds, "s"),
                (
                    "ratio of that computation / native aggregate",
                    compute_only.seconds / native.seconds if native.seconds else 0.0,
                    "",
                ),
                ("11 months of history before it", history, "s"),
                ("same month rebuilt from every open item", rebuild.seconds, "s"),
                ("ratio rebuild / native aggregate", rebuild_ratio, ""),
                ("snapshot rows stored (12 months)", rows_count, ""),
                *read_rows,
            ],
        )


if __name__ == "__main__":
    main()

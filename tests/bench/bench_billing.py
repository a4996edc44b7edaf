"""Pre-invoice board of adv_billing_close: build time and query count, and ratio to Odoo's own
computation of the amounts to invoice (sale_timesheet's period recompute) for the same orders.

setup/adv bench billing [--bench-args --scale 5]   (scale 1: 1,000 orders, 20,000 timesheet lines;
scale 5 is the issue's 5,000 orders and 100,000 lines)
"""

from datetime import date

import benchlib
from benchlib import best_of, clone_rows
from dateutil.relativedelta import relativedelta


def make_data(env, n_orders, n_timesheets):
    partners = benchlib.make_customers(env, max(n_orders // 5, 1))
    product = env["product.product"].create(
        {
            "name": "Bench consulting hour",
            "type": "service",
            "invoice_policy": "delivery",
            "service_type": "timesheet",
            "service_tracking": "no",
            "list_price": 95.0,
            "uom_id": env.ref("uom.product_uom_hour").id,
            "uom_po_id": env.ref("uom.product_uom_hour").id,
        }
    )
    order_ids = benchlib.make_orders(env, partners, n_orders, product=product)
    env.cr.execute(
        "SELECT id, order_id FROM sale_order_line WHERE order_id = ANY(%s) ORDER BY order_id", [order_ids]
    )
    sol_ids, sol_orders = zip(*env.cr.fetchall(), strict=True)
    first = env["sale.order.line"].browse(sol_ids[0])
    project = env["project.project"].create(
        {"name": "Bench project", "allow_billable": True, "partner_id": first.order_id.partner_id.id}
    )
    employee = env["hr.employee"].create({"name": "Bench consultant"})
    month_start = date.today().replace(day=1) - relativedelta(months=1)
    template = env["account.analytic.line"].create(
        {
            "name": "Bench work",
            "project_id": project.id,
            "employee_id": employee.id,
            "unit_amount": 7.0,
            "date": month_start,
            "so_line": first.id,
        }
    )
    env.flush_all()
    clone_rows(
        env.cr,
        "account_analytic_line",
        template.ids,
        n_timesheets - 1,
        {"so_line": "a.s", "order_id": "a.o", "date": "%(start)s::date + ((g - 1) %% 28)::int"},
        {"start": month_start},
        arrays={"s": sol_ids, "o": sol_orders},
    )
    env.cr.execute("ANALYZE account_analytic_line")
    env.invalidate_all()
    lines = env["sale.order.line"].browse(sol_ids)
    lines._compute_qty_delivered()
    lines.flush_recordset()
    Period = env["adv.billing.period"]
    period = Period.search([("company_id", "=", env.company.id), ("date_start", "=", month_start)])
    period = period or Period.create(Period._period_values(env.company, month_start))
    period.state = "invoicing"
    return env["sale.order"].browse(order_ids), period


def native_amounts(orders, period):
    """What Odoo computes before invoicing the period: delivered quantities, quantities to invoice up
    to the period end (sale_timesheet's wizard), untaxed amounts to invoice."""
    lines = orders.order_line
    lines._compute_qty_delivered()
    lines._recompute_qty_to_invoice(False, period.date_end)
    lines._compute_untaxed_amount_to_invoice()
    return sum(lines.mapped("untaxed_amount_to_invoice"))


def main():
    args = benchlib.parse_args(__doc__)
    n_orders, n_timesheets = int(1000 * args.scale), int(20000 * args.scale)
    with benchlib.bench_env() as env:
        orders, period = make_data(env, n_orders, n_timesheets)
        Board = env["adv.preinvoice"]
        native = best_of(env, "native", lambda: native_amounts(orders, period))
        build = best_of(env, "board", lambda: Board._build_board(period))
        Board._build_board(period)
        rebuild = best_of(env, "rebuild", lambda: Board._build_board(period))
        lines = Board.search([("period_id", "=", period.id)])
        expected = round(sum(line.amount_to_invoice for line in lines), 2)
        # One order invoiced for real, to show the board's amount is what Odoo invoices.
        sample = lines[:1]
        sample.action_create_invoices()
        invoiced = sample.invoice_ids.amount_untaxed
        benchlib.report(
            "pre-invoice board",
            [
                ("orders", len(orders), ""),
                ("timesheet lines in the period", n_timesheets, ""),
                ("board lines", len(lines), ""),
                ("amount on the board", expected, ""),
                ("native amounts to invoice", native.seconds, f"s, {native.queries} queries"),
                ("board build (first)", build.seconds, f"s, {build.queries} queries"),
                ("board rebuild (update)", rebuild.seconds, f"s, {rebuild.queries} queries"),
                ("ratio build / native", build.seconds / native.seconds, "(target <= 3)"),
                ("ratio rebuild / native", rebuild.seconds / native.seconds, ""),
                ("sample line vs its invoice", f"{sample.amount_to_invoice} / {invoiced}", ""),
            ],
        )
        if sample.amount_to_invoice != invoiced:
            raise SystemExit("the board's amount differs from the invoice")


if __name__ == "__main__":
    main()

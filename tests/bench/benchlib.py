"""Shared tools of the benchmarks: an environment on the benchmark database, measures, and a
data generator that bulk-loads customers, orders, invoices, payments and timesheets with SQL.

Benchmarks run through ``setup/adv bench <name>``, which creates the database ``adv_bench_<name>``
with the suite installed (no demo data) and runs ``tests/bench/bench_<name>.py`` with the
environment variables ``ADV_ODOO_CONFIG`` and ``ADV_BENCH_DB``. A side-by-side benchmark declares
``BENCH_DATABASES = {variant: [modules] or None (the suite)}``: one database per variant,
``adv_bench_<name>_<variant>``, listed in ``ADV_BENCH_DBS`` (see :func:`bench_databases`).
``ADV_BENCH_PREFIX`` replaces the ``adv_bench_`` prefix (several people benchmarking on one server).

The generator records one template of each business object through the ORM (so every stored
field, tax line and sequence is right), then copies its rows ``n`` times with one
``INSERT ... SELECT ... FROM generate_series`` per table, the copies differing by partner, date
and name. Millions of rows take seconds to minutes instead of hours through the ORM.
"""

import argparse
import contextlib
import os
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

QUIET_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}


def parse_args(description, scale=1.0, extra=None):
    """Common options of a benchmark: --scale multiplies its default data sizes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=scale, help="multiplier of the data sizes")
    for args, kwargs in extra or []:
        parser.add_argument(*args, **kwargs)
    return parser.parse_args()


def bench_databases():
    """{variant: database} of a side-by-side benchmark (its ``BENCH_DATABASES``, see setup/adv bench)."""
    pairs = (item.split("=", 1) for item in os.environ.get("ADV_BENCH_DBS", "").split(",") if item)
    return dict(pairs)


@contextlib.contextmanager
def bench_env(db=None):
    """An environment (superuser, no tracking) on the benchmark database (or ``db``), committed at the end."""
    db = db or os.environ["ADV_BENCH_DB"]
    if not config.get("db_name"):
        # Once per process: Odoo's configuration cannot be parsed twice.
        config.parse_config(["-c", os.environ["ADV_ODOO_CONFIG"], "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, dict(QUIET_CONTEXT))
        cr.commit()


class Measure:
    """Wall time and SQL query count of a block: ``with Measure(env, "label") as m: ...``."""

    def __init__(self, env, label):
        self.env, self.label = env, label
        self.seconds = self.queries = 0

    def __enter__(self):
        self.env.flush_all()
        self._queries = self.env.cr.sql_log_count
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.env.flush_all()
        self.seconds = time.perf_counter() - self._start
        self.queries = self.env.cr.sql_log_count - self._queries
        return False


def best_of(env, label, func, repeat=3, once_over=None):
    """Run ``func`` ``repeat`` times (each rolled back to a savepoint) and keep the fastest; a run longer
    than ``once_over`` seconds is not repeated (its noise is small against it)."""
    best = None
    for _ in range(repeat):
        with env.cr.savepoint(flush=False) as savepoint:
            with Measure(env, label) as measure:
                func()
            env.invalidate_all()
            savepoint.rollback()
        if best is None or measure.seconds < best.seconds:
            best = measure
        if once_over is not None and measure.seconds > once_over:
            break
    return best


def report(title, rows):
    """Print a table of figures: rows are (label, value, unit) tuples."""
    print(f"\n== {title}")
    width = max(len(label) for label, *_ in rows)
    for label, value, unit in rows:
        if isinstance(value, float):
            shown = f"{value:,.3f}"
        else:
            shown = f"{value:,}" if isinstance(value, int) else str(value)
        print(f"  {label.ljust(width)}  {shown} {unit}".rstrip())


# ---------------------------------------------------------------- row copying
def _columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s AND column_name <> 'id' "
        "ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone_rows(cr, table, template_ids, copies, overrides=None, params=None, arrays=None):
    """Copy each template row ``copies`` times in one statement; return the new ids.

    ``overrides`` maps a column to an SQL expression where ``t`` is the template row and ``g``
    the copy number (1..copies); ``params`` are its named query parameters. ``arrays`` maps a
    name to a list of ids: copy g reads its element g (cycling when the list is shorter) as
    ``a.<name>``. The ids come back ordered by copy number, then template id: copy g of the k-th
    template (sorted by id) is ``ids[(g - 1) * len(template_ids) + k]``.
    """
    columns = _columns(cr, table)
    # Fresh statistics: plans made on a table the planner believes empty degrade to O(n^2).
    cr.execute(f'ANALYZE "{table}"')
    overrides = overrides or {}
    params = dict(params or {}, copies=copies, templates=sorted(template_ids))
    series = "generate_series(1, %(copies)s) AS g"
    if arrays:
        # One zipped unnest drives the copies: a join or array[g] per row costs O(n) each.
        names = list(arrays)
        for name in names:
            values = list(arrays[name])
            params[name] = (values * (copies // len(values) + 1))[:copies]
        unnests = ", ".join(f"%({name})s::int[]" for name in names)
        series = f"unnest({unnests}) WITH ORDINALITY AS a({', '.join(names)}, g)"
    select = ", ".join(overrides.get(col, f't."{col}"') for col in columns)
    names = ", ".join(f'"{col}"' for col in columns)
    cr.execute(
        f'INSERT INTO "{table}" ({names}) '  # table and columns come from the catalog
        f'SELECT {select} FROM "{table}" t CROSS JOIN {series} '
        "WHERE t.id = ANY(%(templates)s) ORDER BY g, t.id RETURNING id",
        params,
    )
    return sorted(row[0] for row in cr.fetchall())


def _copy_map(template_ids, new_ids):
    """{template id: [its copies in copy order]} from clone_rows' result."""
    templates = sorted(template_ids)
    return {tid: new_ids[k :: len(templates)] for k, tid in enumerate(templates)}


# ---------------------------------------------------------------- business data
def make_customers(env, count, name="Bench customer"):
    """``count`` company customers (their own commercial partner); return their ids."""
    template = env["res.partner"].create({"name": name, "is_company": True, "customer_rank": 1})
    ids = clone_rows(
        env.cr,
        "res_partner",
        template.ids,
        count,
        {"name": "t.name || ' ' || g", "complete_name": "t.name || ' ' || g"},
    )
    env.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    template.unlink()
    env.invalidate_all()
    return ids


def service_product(env, name="Bench consulting day", price=800.0, policy="order"):
    return env["product.product"].create(
        {"name": name, "type": "service", "list_price": price, "invoice_policy": policy}
    )


def make_orders(env, partner_ids, count, product=None, lines=1, confirm=True, order_date=None):
    """``count`` sale orders of ``lines`` lines each, customers taken in turn from
    ``partner_ids``; confirmed unless ``confirm`` is False. Return the order ids."""
    product = product or service_product(env)
    template = env["sale.order"].create(
        {
            "partner_id": partner_ids[0],
            "date_order": order_date or date.today(),
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 1 + k}) for k in range(lines)
            ],
        }
    )
    if confirm:
        template.action_confirm()
    env.flush_all()
    partners = {"partners": partner_ids}
    partner = "a.partners"
    orders = clone_rows(
        env.cr,
        "sale_order",
        template.ids,
        count,
        {
            "name": "'BENCH/' || lpad(g::text, 8, '0')",
            "partner_id": partner,
            "partner_invoice_id": partner,
            "partner_shipping_id": partner,
            "access_token": "NULL",
        },
        arrays=partners,
    )
    line_ids = clone_rows(
        env.cr,
        "sale_order_line",
        template.order_line.ids,
        count,
        {"order_id": "a.orders", "order_partner_id": partner},
        arrays=dict(partners, orders=orders),
    )
    _copy_taxes(env, template.order_line, line_ids)
    env.invalidate_all()
    return orders


def _copy_taxes(env, template_lines, line_ids):
    """Give each copy of a line the taxes of its template (the many2many rows are not copied)."""
    field = template_lines._fields["tax_id" if template_lines._name == "sale.order.line" else "tax_ids"]
    copies = _copy_map(template_lines.ids, line_ids)
    for line in template_lines:
        for tax in line[field.name]:
            env.cr.execute(
                f'INSERT INTO "{field.relation}" ("{field.column1}", "{field.column2}") '
                "SELECT unnest(%s::int[]), %s",
                [copies[line.id], tax.id],
            )


def make_invoices(env, partner_ids, count, amount=1000.0, start=None, days=365, paid_every=0):
    """``count`` posted customer invoices of one line (tax included from the default sale tax),
    dated over ``days`` days back from ``start``, customers in turn from ``partner_ids``.
    With ``paid_every`` = k, every k-th invoice is fully paid by a payment entry reconciled with
    it (payment, partial and full reconciliation rows copied too). Return the invoice ids.
    """
    start = start or date.today()
    product = service_product(env, "Bench invoiced service", amount)
    spread = {"start": start, "days": days}
    paid = count // paid_every if paid_every else 0
    if paid:
        # Posted through the ORM before any SQL copy exists (the journal's next number is read from the
        # latest posted move: a copy, with another date, would misalign it), and before the unpaid
        # template, which stays the end of the sequence chain and can be deleted below.
        paid_template = _template_invoice(env, partner_ids[0], product, start)
        payment = _pay(env, paid_template)
    invoice = _template_invoice(env, partner_ids[0], product, start)
    ids = _copy_moves(env, invoice, count - paid, spread, partner_ids, "BINV")[0] if count > paid else []
    if paid:
        ids += _copy_paid(env, paid_template, payment, paid, spread, partner_ids)
        # The paid template stays: its account.payment record cannot lose its entry.
    invoice.button_draft()
    invoice.unlink()
    env.invalidate_all()
    return ids


def _template_invoice(env, partner_id, product, day):
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner_id,
            "invoice_date": day,
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1})],
        }
    )
    move.action_post()
    return move


def _pay(env, invoice):
    wizard = env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids)
    payments = wizard.create({"payment_date": invoice.invoice_date})._create_payments()
    return payments.move_id


# Copies of a move (or of its lines) spread over customers and dates.
_DAY = "(%(start)s::date - ((g - 1) %% %(days)s)::int)"
_MOVE_OVERRIDES = {
    "partner_id": "a.partners",
    # The customers of make_customers are their own commercial partners (left to the template's, every
    # copy was one customer's invoice for the code that reads it: reminders, hand-overs, follow-ups).
    "commercial_partner_id": "a.partners",
    "date": _DAY,
    "invoice_date": f"CASE WHEN t.invoice_date IS NOT NULL THEN {_DAY} END",
    "invoice_date_due": f"{_DAY} + (t.invoice_date_due - t.date)",
    "date_maturity": f"{_DAY} + (t.date_maturity - t.date)",
    "access_token": "NULL",
    # Copied payment entries are plain entries: they do not share the template's payment record.
    "origin_payment_id": "NULL",
    "payment_id": "NULL",
}


def _copy_moves(env, moves, count, spread, partner_ids, prefix):
    """Copy the moves with their lines ``count`` times; return the copies of the first move and
    {template line id: its copies}."""
    env.flush_all()
    cr = env.cr
    # Unique per template move and copy, as posted names are unique per journal.
    names = {
        "name": f"t.name || '/{prefix}' || t.id || '-' || g",
        "move_name": f"t.move_name || '/{prefix}' || t.move_id || '-' || g",
        # Out of the journal's sequence, so that later invoices are numbered as usual.
        "sequence_prefix": f"t.sequence_prefix || '{prefix}'",
    }
    overrides = dict(_MOVE_OVERRIDES, **names)
    new_moves = clone_rows(cr, "account_move", moves.ids, count, overrides, spread, {"partners": partner_ids})
    move_copies = _copy_map(moves.ids, new_moves)
    line_copies = {}
    for move in moves:
        created = clone_rows(
            cr,
            "account_move_line",
            move.line_ids.ids,
            count,
            dict(overrides, move_id="a.moves"),
            spread,
            {"partners": partner_ids, "moves": move_copies[move.id]},
        )
        _copy_taxes(env, move.line_ids, created)
        line_copies.update(_copy_map(move.line_ids.ids, created))
    return move_copies[moves[0].id], line_copies


def _copy_paid(env, invoice, payment, count, spread, partner_ids):
    """Copy an invoice, its payment entry and their reconciliation ``count`` times."""
    cr = env.cr
    moves = invoice | payment
    new_invoices, line_copies = _copy_moves(env, moves, count, spread, partner_ids, "BPAY")
    lines = moves.line_ids
    fulls = lines.full_reconcile_id
    full_copies = _copy_map(fulls.ids, clone_rows(cr, "account_full_reconcile", fulls.ids, count))
    for partial in lines.matched_debit_ids | lines.matched_credit_ids:
        clone_rows(
            cr,
            "account_partial_reconcile",
            partial.ids,
            count,
            # Each copy of the payment has the date of its copy of the invoice: so has their matching.
            {
                "debit_move_id": "a.debit",
                "credit_move_id": "a.credit",
                "full_reconcile_id": "a.fulls",
                "max_date": _DAY,
            },
            params=spread,
            arrays={
                "debit": line_copies[partial.debit_move_id.id],
                "credit": line_copies[partial.credit_move_id.id],
                "fulls": full_copies[partial.full_reconcile_id.id],
            },
        )
    cr.execute("ANALYZE account_move_line")
    for line in lines.filtered("full_reconcile_id"):
        cr.execute(
            "UPDATE account_move_line SET full_reconcile_id = u.full_id "
            "FROM unnest(%s::int[], %s::int[]) AS u(id, full_id) WHERE account_move_line.id = u.id",
            [line_copies[line.id], full_copies[line.full_reconcile_id.id]],
        )
    return new_invoices


def make_timesheets(env, order, count, employee=None, date_from=None, days=28, hours=7.0):
    """``count`` timesheet lines (sale_timesheet) on the service lines of ``order``, dated over
    ``days`` days from ``date_from``; the order's delivered quantities are recomputed."""
    employee = employee or env["hr.employee"].create({"name": "Bench consultant"})
    date_from = date_from or date.today().replace(day=1)
    line = order.order_line[:1]
    project = order.project_id or env["project.project"].create(
        {"name": f"Bench project {order.name}", "sale_line_id": line.id, "allow_billable": True}
    )
    template = env["account.analytic.line"].create(
        {
            "name": "Bench work",
            "project_id": project.id,
            "employee_id": employee.id,
            "unit_amount": hours,
            "date": date_from,
            "so_line": line.id,
        }
    )
    ids = clone_rows(
        env.cr,
        "account_analytic_line",
        template.ids,
        count - 1,
        {"date": "%(start)s::date + ((g - 1) %% %(days)s)::int"},
        {"start": date_from, "days": days},
    )
    env.invalidate_all()
    line._compute_qty_delivered()
    return template.ids + ids


def days_ago(n):
    return date.today() - timedelta(days=n)

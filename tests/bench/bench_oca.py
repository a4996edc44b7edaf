"""Side by side with the OCA peers, on the same generated data in three databases: native Odoo (no credit
control), ours (the suite) and OCA (sale_financial_risk + account_credit_control, suite not installed).

setup/adv bench oca [--bench-args --scale 0.1]
  scale 1 is the issue's full size: 50,000 customers; 570,000 paid invoices dated over a year (invoice and
  payment: two receivable lines each) and 60,000 open ones dated over the last 120 days, i.e. 1,200,000
  receivable move lines; 10,000 confirmed orders left to invoice. Every size is multiplied by --scale.

Credit, both configured to block at confirmation on the same limits (customer k: 1,000 x (1 + k mod 10)):
ours with the order acceptance check on "Block", OCA with the credit limit and every risk "include" flag on
(draft, open and unpaid invoices, orders) and over-risk confirmation not allowed. Measured: 100 order
confirmations under the limit (plus a check that an order over the limit is stopped), the "over credit
limit" search (ours) vs OCA's "risk exceeded" search, and one list page of 80 customers with their exposure
(ours: the Customer Credit list; OCA: its risk fields). Collection: our reminder run vs OCA's credit control
run (a run for today, "Compute Credit Lines") on the same overdue invoices with three levels (10, 30, 60
days after the due date), per 1,000 invoices. Goals: ours <= 0.5 x OCA on each credit line, <= 1 x OCA on
the reminder run. Ours is also run with every level at the ADV stage (nobody handed over to the credit
controller): the work both runs do.

The generator is deterministic (no random data): the three databases get the same rows, customer k of one
is customer k of the others; the three are generated at once (one process each). Each figure is the best of
3 runs (rolled back), a run of more than 10 s once, the runs of collection once, each stopped after
--time-limit minutes (reported as not finished). Each figure is printed as it is measured, the tables at
the end.
"""

import contextlib
import logging
import multiprocessing
import signal
import time
from datetime import date

import benchlib
from bench_credit import set_triggers
from benchlib import Measure, best_of

from odoo import Command, api

# setup/adv bench: one database per variant, with these modules installed (None: the suite).
BENCH_DATABASES = {
    "native": [],
    "ours": None,
    "oca": ["sale_financial_risk", "account_credit_control"],
}

CONFIRMATIONS = 100
# A measure that takes longer than this is not repeated (its noise is small against it).
REPEAT_UNDER = 10.0
LEVEL_DELAYS = (10, 30, 60)
# Figures compared with OCA, with their goal (ours / OCA at most).
GOALS = {"confirm": 0.5, "search": 0.5, "list": 0.5, "reminders": 1.0}


def sizes(scale):
    return {
        "customers": max(int(50000 * scale), 100),
        "paid": int(570000 * scale),
        "open": max(int(60000 * scale), 100),
        "orders": max(int(10000 * scale), 10),
    }


class Clock:
    """Prints the time of each step (where the generation spends its time, on a shared machine)."""

    def __init__(self, variant):
        self.variant, self.last = variant, time.perf_counter()

    def __call__(self, step):
        now = time.perf_counter()
        print(f"  {self.variant}: {step} {now - self.last:,.1f} s", flush=True)
        self.last = now


class TimeLimit(Exception):
    """A measure stopped at the time limit (rolled back, reported as not finished)."""


@contextlib.contextmanager
def time_limit(seconds):
    def expire(_signum, _frame):
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(int(seconds))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def show(variant, results, labels):
    """Print the figures of ``labels`` in ``results`` as soon as they are measured."""
    for label in labels:
        m = results.get(label)
        if m is None:
            continue
        if isinstance(m, Unfinished):
            print(f"  {variant}: {label} not finished in {m.seconds / 60:g} min", flush=True)
        elif hasattr(m, "seconds"):
            print(f"  {variant}: {label} {m.seconds:,.3f} s, {m.queries:,} queries", flush=True)
        else:
            print(f"  {variant}: {label} {m}", flush=True)


KPI_TRIGGERS = {
    "account_move_line": ("insert", "update", "delete"),
    "account_partial_reconcile": ("insert", "update", "delete"),
    "account_move": ("update",),
}


def set_kpi_triggers(env, enabled):
    verb = "ENABLE" if enabled else "DISABLE"
    for table, events in KPI_TRIGGERS.items():
        for event in events:
            env.cr.execute(f'ALTER TABLE "{table}" {verb} TRIGGER "adv_kpi_mark_{table}_{event}"')


# ---------------------------------------------------------------- data (identical in the three databases)
def make_data(env, variant, size):
    clock = Clock(variant)
    if variant == "ours":
        # A bulk load: the suite's triggers off (the exposure is rebuilt once after it; adv_kpi's marks
        # are not read here). adv_kpi's statement trigger made the bulk UPDATE of reconciled journal items
        # minutes long.
        set_triggers(env, False)
        set_kpi_triggers(env, False)
    partners = benchlib.make_customers(env, size["customers"])
    clock("customers")
    if size["paid"]:
        benchlib.make_invoices(env, partners, size["paid"], days=365, paid_every=1)
    clock("paid invoices")
    benchlib.make_invoices(env, partners, size["open"], days=120)
    clock("open invoices")
    benchlib.make_orders(env, partners, size["orders"])
    clock("orders")
    limits = [1000.0 * (1 + k % 10) for k in range(len(partners))]
    env.cr.execute(
        """
        UPDATE res_partner p SET credit_limit = jsonb_build_object(%s::text, u.amount)
          FROM unnest(%s::int[], %s::numeric[]) AS u(id, amount) WHERE p.id = u.id
        """,
        [str(env.company.id), partners, limits],
    )
    if variant == "ours":
        set_triggers(env, True)
        set_kpi_triggers(env, True)
        clock("limits")
        env["adv.credit.exposure"]._refresh()
        clock("exposure rebuild")
    elif variant == "oca":
        _configure_oca(env, partners)
    env.cr.execute("ANALYZE")
    clock("analyze")
    env.invalidate_all()
    env.cr.commit()
    return partners


def _configure_oca(env, partners):
    # Copied order lines keep the template's customer in the stored related field: set it right.
    env.cr.execute(
        """
        UPDATE sale_order_line l SET risk_partner_id = p.commercial_partner_id
          FROM sale_order o JOIN res_partner p ON p.id = o.partner_invoice_id
         WHERE o.id = l.order_id AND l.risk_partner_id IS DISTINCT FROM p.commercial_partner_id
        """
    )
    env.cr.execute(
        """
        UPDATE res_partner SET risk_invoice_draft_include = TRUE, risk_invoice_open_include = TRUE,
               risk_invoice_unpaid_include = TRUE, risk_sale_order_include = TRUE
         WHERE id = ANY(%s)
        """,
        [partners],
    )


def configure_levels(env, variant, hand_over=True):
    """Three levels, 10, 30 and 60 days after the due date, letters (nothing is emailed in either run).
    Ours with ``hand_over`` False: every level at the ADV stage (nobody handed over to the credit
    controller, as in OCA's run)."""
    company = env.company
    if variant == "ours":
        # The shipped levels (archived), set to the same delays; the fourth one stays archived.
        shipped = ("dunning_level_courtesy", "dunning_level_formal", "dunning_level_legal")
        for xmlid, delay, stage in zip(shipped, LEVEL_DELAYS, ("friendly", "formal", "legal"), strict=True):
            env.ref(f"adv_credit_mgmt.{xmlid}").write(
                {
                    "delay": delay,
                    "channel": "letter",
                    "active": True,
                    "stage": stage if hand_over else "friendly",
                }
            )
    elif variant == "oca":
        policy = env.ref("account_credit_control.credit_control_3_time")
        receivable = env["account.account"].search(
            [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]
        )
        policy.account_ids = [Command.set(receivable.ids)]
        for level, delay in zip(policy.level_ids.sorted("level"), LEVEL_DELAYS, strict=True):
            level.write({"computation_mode": "net_days", "delay_days": delay, "channel": "letter"})
        company.credit_policy_id = policy


def configure_credit(env, variant):
    if variant == "ours":
        env.company.write({"adv_credit_order_check": "block"})
    elif variant == "oca":
        env.company.allow_overrisk_sale_confirmation = False


# ---------------------------------------------------------------- measures
def draft_orders(env, partners, count, amount=100.0, name="Bench pump"):
    product = env["product.product"].create({"name": name, "type": "consu", "list_price": amount})
    return env["sale.order"].create(
        [
            {"partner_id": partner_id, "order_line": [Command.create({"product_id": product.id})]}
            for partner_id in partners[:count]
        ]
    )


def confirm(orders):
    """Confirm the orders one by one as the Confirm button does (its context), flushed after each as at
    the end of the request; return how many were confirmed."""
    for order in orders:
        order.with_context(adv_interactive=True, validate_analytic=True).action_confirm()
        order.env.flush_all()
    return len(orders.filtered(lambda o: o.state == "sale"))


def prepare_credit(env, variant, partners):
    """Blocking set-up and the draft orders: 100 for customers with the highest limit (10,000: every
    confirmation runs the whole check and passes), one far over its customer's limit (1,000)."""
    configure_credit(env, variant)
    high = [partners[k] for k in range(9, len(partners), 10)]
    orders = draft_orders(env, (high * CONFIRMATIONS)[:CONFIRMATIONS], CONFIRMATIONS)
    over = draft_orders(env, partners[:1], 1, amount=100000.0, name="Bench crane")
    env.cr.commit()
    return orders, over


# The method that makes each one's credit decision when an order is confirmed.
CREDIT_CHECKS = {"ours": "_adv_credit_issues", "oca": "evaluate_risk_message"}


class Spent:
    seconds = queries = 0


@contextlib.contextmanager
def timed_check(env, variant):
    """Time and queries of the credit check alone during the block: the check method, wrapped on the
    registry's sale.order class for the time of the block (a difference of two whole confirmations of
    70-90 ms each is mostly noise)."""
    spent, name = Spent(), CREDIT_CHECKS.get(variant)
    if not name:
        yield spent
        return
    cls = type(env["sale.order"])
    own = vars(cls).get(name)
    original = getattr(cls, name)

    def timed(self, *args, **kwargs):
        start, queries = time.perf_counter(), self.env.cr.sql_log_count
        try:
            return original(self, *args, **kwargs)
        finally:
            spent.seconds += time.perf_counter() - start
            spent.queries += self.env.cr.sql_log_count - queries

    setattr(cls, name, timed)
    try:
        yield spent
    finally:
        if own is None:
            delattr(cls, name)
        else:
            setattr(cls, name, own)


def measure_confirmations(envs, drafts, rounds=3):
    """The confirmations of the three databases in turns, best of ``rounds``: machine noise (a shared
    server) weighs on all of them alike. Return {variant: (whole confirmations, the credit check alone)}."""
    best = {}
    for _round in range(rounds):
        for variant, env in envs.items():
            confirmed = []
            orders = drafts[variant][0]
            with timed_check(env, variant) as check:
                measure = best_of(
                    env, "confirm", lambda o=orders, c=confirmed: c.append(confirm(o)), repeat=1
                )
            if confirmed[-1] != CONFIRMATIONS:
                raise SystemExit(
                    f"{variant}: {confirmed[-1]} of {CONFIRMATIONS} orders under their limit confirmed"
                )
            if variant not in best or measure.seconds < best[variant][0].seconds:
                best[variant] = (measure, best.get(variant, (None, check))[1])
            if check.seconds < best[variant][1].seconds:
                best[variant] = (best[variant][0], check)
    return best


def measure_credit(env, variant, over):
    result = {}
    with env.cr.savepoint() as savepoint:
        result["blocks"] = not confirm(over)
        savepoint.rollback()
    env.invalidate_all()
    if variant == "native":
        return result
    Partner = env["res.partner"]
    field = "adv_credit_over_limit" if variant == "ours" else "risk_exception"
    found = []
    result["search"] = best_of(
        env, "search", lambda: found.append(len(Partner.search([(field, "=", True)]))), once_over=REPEAT_UNDER
    )
    result["over"] = found[-1]
    result["list"] = best_of(env, "list", lambda: list_page(env, variant), once_over=REPEAT_UNDER)
    if variant == "ours":
        result["list_sorted"] = best_of(
            env, "list", lambda: list_page(env, variant, by_exposure=True), once_over=REPEAT_UNDER
        )
    return result


# The list a credit user opens: ours the Customer Credit list (its action's domain and fields); OCA has no
# list of its risk fields, so the partner list with them. Compared on the same page (the first 80 by name,
# the partners' order; OCA cannot sort on its risk), and ours as Customer Credit opens (its default order,
# the largest exposures first) against that same OCA page.
OURS_LIST = [
    "adv_company_currency_id",
    "name",
    "adv_credit_status",
    "adv_credit_risk_class",
    "adv_exposure_overdue",
    "adv_exposure_total",
    "adv_credit_no_limit",
    "adv_credit_limit_display",
    "adv_credit_remaining",
    "adv_credit_over_limit",
]
OCA_LIST = [
    "risk_currency_id",
    "name",
    "credit_limit",
    "risk_invoice_unpaid",
    "risk_total",
    "risk_remaining_value",
    "risk_amount_exceeded",
    "risk_exception",
]


def list_page(env, variant, by_exposure=False):
    Partner = env["res.partner"]
    if variant == "ours":
        domain = [("is_company", "=", True), ("adv_is_own_company", "=", False)]
        fields = OURS_LIST
    else:
        domain, fields = [("is_company", "=", True)], OCA_LIST
    order = "adv_exposure_total desc" if by_exposure else None
    return Partner.web_search_read(domain, {f: {} for f in fields}, limit=80, order=order)


class Unfinished:
    """A run stopped at the time limit: ``seconds`` is the limit."""

    queries = None

    def __init__(self, seconds):
        self.seconds = seconds


def limited(env, label, func, limit):
    """One run of ``func`` (rolled back), or Unfinished if it takes more than ``limit`` seconds."""
    sql_log = logging.getLogger("odoo.sql_db")
    level = sql_log.level
    # A query cut by the time limit is logged whole by Odoo (OCA's cycle: every line id in it).
    sql_log.setLevel(logging.CRITICAL)
    try:
        with time_limit(limit):
            return best_of(env, label, func, repeat=1)
    except TimeLimit:
        env.invalidate_all()
        return Unfinished(limit)
    finally:
        sql_log.setLevel(level)


def measure_collection(env, variant, limit):
    if variant == "native":
        return {}  # Odoo Community has no payment follow-up
    configure_levels(env, variant)
    env.cr.commit()
    # The run as the daily job does it: no quiet context (tracking and chatter as in production).
    plain = api.Environment(env.cr, env.uid, {})
    created = []
    if variant == "ours":
        Reminder = plain["adv.dunning.reminder"]

        def run():
            Reminder._cron_process_reminders()
            created.append(Reminder.search_count([]))

    else:
        Run = plain["credit.control.run"]

        def run():
            created.append(len(Run.create({"date": date.today()})._generate_credit_lines()))

        def cycle():
            # What the user does next: lines marked ready, "Run channel action" (letters: one
            # communication per customer and level, lines marked sent; the PDF is rendered when printed).
            credit_run = Run.create({"date": date.today()})
            credit_run._generate_credit_lines()
            credit_run.set_to_ready_lines()
            printing = credit_run.run_channel_action()
            if callable(printing):
                printing()  # letters: OCA returns the printer wizard's method, the button's caller runs it

    measure = limited(env, "reminders", run, limit)
    result = {"reminders": measure, "documents": created[-1] if created else None}
    if variant == "oca":
        result["cycle"] = limited(env, "cycle", cycle, limit)
    else:
        # The work both runs do (a letter per invoice and level, no hand-over), apart.
        configure_levels(env, variant, hand_over=False)
        env.cr.commit()
        result["letters"] = limited(env, "reminders", run, limit)
        configure_levels(env, variant)
        env.cr.commit()
    return result


# ---------------------------------------------------------------- report
def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(value, unit=""):
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}{unit}"
    return f"{value:,}{unit}"


def print_table(title, header, rows):
    print(f"\n== {title}")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  " + "  ".join(cells))


def report(size, receivable_lines, results):
    native, ours, oca = (results.get(v, {}) for v in ("native", "ours", "oca"))
    header = ("", "native", "ours", "OCA", "ours/OCA", "goal", "", "ours/native")
    rows = []

    def line(label, key, per=1.0, queries=False, goal_key=None, ms=False):
        def value(res):
            m = res.get(key)
            if m is None or isinstance(m, Unfinished):
                return None
            return (m.queries if queries else m.seconds * (1000 if ms else 1)) / per

        n, o, c = value(native), value(ours), value(oca)
        r = ratio(o, c)
        goal = GOALS.get(goal_key) if goal_key else None
        verdict = "" if goal is None or r is None else ("PASS" if r <= goal else "MISS")
        unit = "" if queries else (" ms" if ms else " s")
        rows.append(
            (
                label,
                fmt(n, unit),
                fmt(o, unit),
                fmt(c, unit),
                fmt(r),
                f"<= {goal}" if goal else "",
                verdict,
                fmt(ratio(o, n)),
            )
        )

    line(f"confirm {CONFIRMATIONS} orders (Odoo's own work included)", "confirm")
    line("  queries per confirmation", "confirm", per=CONFIRMATIONS, queries=True)
    line("  credit check per confirmation, timed alone", "check", CONFIRMATIONS, goal_key="confirm", ms=True)
    line("    queries", "check", per=CONFIRMATIONS, queries=True)
    # What a whole confirmation costs over native Odoo's (ours: every module of the suite), for reference.
    for label, queries in (("  confirmation over native (whole suite)", False), ("    queries", True)):
        base = native.get("confirm")
        cost = {}
        for variant, res in (("ours", ours), ("oca", oca)):
            m = res.get("confirm")
            if m and base:
                diff = (m.queries - base.queries) if queries else (m.seconds - base.seconds)
                cost[variant] = diff / CONFIRMATIONS * (1 if queries else 1000)
        r = ratio(cost.get("ours"), cost.get("oca"))
        unit = "" if queries else " ms"
        rows.append((label, "", fmt(cost.get("ours"), unit), fmt(cost.get("oca"), unit), fmt(r), "", "", ""))
    line("'over limit' / 'risk exceeded' search", "search", goal_key="search")
    line("  queries", "search", queries=True)
    line("list page of 80 customers with exposure (by name)", "list", goal_key="list")
    line("  queries", "list", queries=True)
    line("  ours as Customer Credit opens: by exposure", "list_sorted")
    line("    queries", "list_sorted", queries=True)
    print_table(
        f"Credit, both blocking ({size['customers']:,} customers, {receivable_lines:,} receivable lines, "
        f"{size['orders']:,} orders to invoice)",
        header,
        rows,
    )
    checks = [
        ("order over the limit stopped", *(fmt(r.get("blocks")) for r in (native, ours, oca))),
        ("customers over the limit found", "-", fmt(ours.get("over")), fmt(oca.get("over"))),
    ]
    print_table("Same answers", ("", "native", "ours", "OCA"), checks)

    documents = ours.get("documents") or 0
    rows = []
    # Invoices reminded: a run stopped at the time limit counts the invoices of the other (the same
    # invoices are due in both databases), its time then a lower bound.
    per_k = {
        v: (r.get("documents") or ours.get("documents") or oca.get("documents") or 0) / 1000
        for v, r in (("ours", ours), ("oca", oca))
    }

    def per_thousand(m, variant, queries=False):
        """(figure per 1,000 invoices, "" or ">" for a lower bound), (None, "") if not measured."""
        if m is None or not per_k[variant] or (queries and isinstance(m, Unfinished)):
            return None, ""
        value = (m.queries if queries else m.seconds) / per_k[variant]
        return value, ">" if isinstance(m, Unfinished) else ""

    def compare(label, ours_m, oca_m, queries=False, goal=None):
        (o, o_bound), (c, c_bound) = (
            per_thousand(ours_m, "ours", queries),
            per_thousand(oca_m, "oca", queries),
        )
        unit = "" if queries else " s"
        r = ratio(o, c)
        if o_bound and c_bound:
            r = None  # two lower bounds: no ratio
        shown = "-" if r is None else ("< " if c_bound else "> " if o_bound else "") + fmt(r)
        verdict = ""
        if goal is not None and r is not None:
            # A lower bound of OCA's time proves a PASS only, one of ours a MISS only.
            if r <= goal and not o_bound:
                verdict = "PASS"
            elif r > goal and not c_bound:
                verdict = "MISS"
        rows.append(
            (
                label,
                f"{o_bound} {fmt(o, unit)}".strip(),
                f"{c_bound} {fmt(c, unit)}".strip(),
                shown,
                f"<= {goal}" if goal is not None else "",
                verdict,
            )
        )

    compare(
        "reminder run per 1,000 invoices",
        ours.get("reminders"),
        oca.get("reminders"),
        goal=GOALS["reminders"],
    )
    compare("  queries per 1,000 invoices", ours.get("reminders"), oca.get("reminders"), queries=True)
    compare("  ours without hand-over (levels at the ADV stage)", ours.get("letters"), oca.get("reminders"))
    compare("    queries", ours.get("letters"), oca.get("reminders"), queries=True)
    rows.append(("reminders / credit lines created", fmt(documents), fmt(oca.get("documents")), "", "", ""))
    compare("OCA run + lines marked ready + Run channel action", ours.get("reminders"), oca.get("cycle"))

    def whole(m):
        if isinstance(m, Unfinished):
            return f"not finished in {m.seconds / 60:g} min"
        return fmt(m.seconds, " s") if m else "-"

    rows.append(("whole run", whole(ours.get("reminders")), whole(oca.get("reminders")), "", "", ""))
    rows.append(("OCA's whole cycle", "", whole(oca.get("cycle")), "", "", ""))
    print_table(
        f"Collection: one run for today, 3 levels ({size['open']:,} open invoices)",
        ("", "ours", "OCA", "ours/OCA", "goal", ""),
        rows,
    )


def check_oca(env):
    env.cr.execute(
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
        [BENCH_DATABASES["oca"]],
    )
    if env.cr.fetchone()[0] != len(BENCH_DATABASES["oca"]):
        raise RuntimeError(
            "OCA modules not installed: pip install -r setup/requirements-oca.txt --no-deps first"
        )


def generate(variant, db, size):
    """The data of one database, in a process of its own (the three at once: 17 min instead of about an hour
    one after the other at full size on a 2-core machine). Return (variant, seconds, customer ids, receivable
    lines)."""
    with benchlib.bench_env(db) as env:
        if variant == "oca":
            check_oca(env)
        with Measure(env, "data") as data:
            partners = make_data(env, variant, size)
        env.cr.execute(
            "SELECT count(*) FROM account_move_line l JOIN account_account a ON a.id = l.account_id "
            "WHERE a.account_type = 'asset_receivable'"
        )
        lines = env.cr.fetchone()[0]
    print(f"{variant}: data generated in {data.seconds:,.1f} s ({lines:,} receivable lines)", flush=True)
    return variant, data.seconds, partners, lines


def main():
    args = benchlib.parse_args(
        __doc__.splitlines()[0],
        scale=0.05,
        extra=[(("--time-limit",), {"type": float, "default": 20.0, "help": "minutes per collection run"})],
    )
    size = sizes(args.scale)
    databases = benchlib.bench_databases()
    missing = set(BENCH_DATABASES) - set(databases)
    if missing:
        raise SystemExit(
            f"run through `setup/adv bench oca` (databases of {', '.join(sorted(missing))} unknown)"
        )
    # Forked before this process opens any database (no connection shared with the children).
    with multiprocessing.get_context("fork").Pool(len(BENCH_DATABASES)) as pool:
        generated = pool.starmap(generate, [(v, databases[v], size) for v in BENCH_DATABASES])
    partners = {variant: ids for variant, _seconds, ids, _lines in generated}
    receivable_lines = generated[-1][3]
    results, drafts = {}, {}
    with contextlib.ExitStack() as stack:
        envs = {v: stack.enter_context(benchlib.bench_env(databases[v])) for v in BENCH_DATABASES}
        for variant, env in envs.items():
            drafts[variant] = prepare_credit(env, variant, partners[variant])
        clock = Clock("all")
        for variant, (measure, check) in measure_confirmations(envs, drafts).items():
            results[variant] = {"confirm": measure}
            if variant in CREDIT_CHECKS:
                results[variant]["check"] = check
            show(variant, results[variant], ("confirm", "check"))
        clock("confirmations")
        for variant, env in envs.items():
            clock = Clock(variant)
            results[variant].update(measure_credit(env, variant, drafts[variant][1]))
            show(variant, results[variant], ("blocks", "search", "over", "list", "list_sorted"))
            clock("search and list")
            results[variant].update(measure_collection(env, variant, args.time_limit * 60))
            show(variant, results[variant], ("reminders", "documents", "letters", "cycle"))
            clock("collection")
            env.cr.rollback()
    report(size, receivable_lines, results)


if __name__ == "__main__":
    main()

"""Credit management (adv_credit_mgmt): the "over limit" search and the credit check at confirmation.

setup/adv bench credit [--bench-args --scale 10]
  scale 1: 5,000 customers, 100,000 posted invoices (one receivable line each);
  scale 10: the issue's 50,000 customers and 1,000,000 receivable move lines.

Prints: the time and query count of the full exposure rebuild, of the "over limit" search (target under
1 s, one query), and the cost of confirming orders with the credit check on, as a ratio to the same
confirmations with the credit machinery (triggers and checks) switched off (target at most 1.10).
"""

import benchlib
from benchlib import Measure, best_of, report

from odoo import Command

TRIGGER_TABLES = ("account_move_line", "account_move", "sale_order", "sale_order_line", "adv_dispute")
EVENTS = ("insert", "update", "delete")
# table -> events of its exposure triggers (res_partner: a contact's commercial partner changing)
TRIGGERS = {**dict.fromkeys(TRIGGER_TABLES, EVENTS), "res_partner": ("update",)}


def set_triggers(env, enabled):
    verb = "ENABLE" if enabled else "DISABLE"
    for table, events in TRIGGERS.items():
        for event in events:
            env.cr.execute(f'ALTER TABLE "{table}" {verb} TRIGGER "adv_credit_exposure_{table}_{event}"')


def make_data(env, n_customers, n_invoices):
    # Bulk generation with the triggers off (one rebuild afterwards, measured on its own).
    set_triggers(env, False)
    partner_ids = benchlib.make_customers(env, n_customers)
    # One invoice in five paid (payment entries and reconciliations copied too).
    benchlib.make_invoices(env, partner_ids, n_invoices, amount=1000.0, days=120, paid_every=5)
    # Limits spread so that part of the customers are over: 5,000 to 50,000 per customer.
    env.cr.execute(
        """
        UPDATE res_partner
           SET credit_limit = jsonb_build_object(%s::text, 5000 + (id %% 10) * 5000)
         WHERE id = ANY(%s)
        """,
        [str(env.company.id), partner_ids],
    )
    set_triggers(env, True)
    env.invalidate_all()
    return partner_ids


def draft_orders(env, partner_ids, count):
    product = env["product.product"].create({"name": "Bench pump", "type": "consu", "list_price": 100.0})
    return env["sale.order"].create(
        [
            {
                "partner_id": partner_ids[k * 7 % len(partner_ids)],
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
            for k in range(count)
        ]
    )


def confirm_one_by_one(orders):
    # Flushed after each order, as at the end of the request that confirms it: otherwise the check's
    # own flush would split Odoo's batched writes and be charged for them.
    for order in orders:
        order.action_confirm()
        order.env.flush_all()


def main():
    args = benchlib.parse_args(__doc__.splitlines()[0])
    n_customers, n_invoices = int(5000 * args.scale), int(100000 * args.scale)
    with benchlib.bench_env() as env:
        partner_ids = make_data(env, n_customers, n_invoices)
        Exposure = env["adv.credit.exposure"]
        with Measure(env, "rebuild") as rebuild:
            Exposure._refresh()
        env.cr.execute("ANALYZE adv_credit_exposure")
        env.cr.commit()
        env.cr.execute(
            "SELECT count(*) FROM account_move_line l JOIN account_account a ON a.id = l.account_id "
            "WHERE a.account_type = 'asset_receivable'"
        )
        receivable_lines = env.cr.fetchone()[0]

        Partner = env["res.partner"]
        over_ids = []
        search = best_of(
            env,
            "over limit",
            lambda: over_ids.append(len(Partner.search([("adv_credit_over_limit", "=", True)]))),
        )
        sort = best_of(
            env,
            "sort by exposure",
            lambda: Partner.search([("is_company", "=", True)], order="adv_exposure_total desc", limit=80),
        )

        # Confirmation: same orders, credit machinery off (native) then on (checks + triggers).
        orders = draft_orders(env, partner_ids, 100)
        env.cr.commit()
        company = env.company

        # Three set-ups of the same confirmations, run in turns (best of three rounds each) so that
        # cache warm-up and machine noise weigh on all of them alike. Set-ups are committed before
        # measuring: ALTER TABLE inside the measured transaction would also measure plan invalidation.
        def native():
            # Credit machinery off: no exposure trigger, no check.
            set_triggers(env, False)
            company.write({"adv_credit_order_check": "none", "adv_credit_overdue_check": "none"})

        def blocks_off():
            # Module installed, every credit block off: the exposure triggers run, the check is skipped.
            set_triggers(env, True)
            company.write({"adv_credit_order_check": "none", "adv_credit_overdue_check": "none"})

        def credit():
            # Warnings: the full check runs, the unattended confirmation goes through.
            set_triggers(env, True)
            company.write(
                {
                    "adv_credit_order_check": "warning",
                    "adv_credit_overdue_check": "warning",
                    "adv_credit_overdue_amount": 10**9,
                }
            )

        best = {}
        confirm_one_by_one(orders)  # warm-up, rolled back
        env.cr.rollback()
        env.invalidate_all()
        for _round in range(3):
            for setup in (native, blocks_off, credit):
                setup()
                env.cr.commit()
                measure = best_of(env, setup.__name__, lambda: confirm_one_by_one(orders), repeat=1)
                if setup not in best or measure.seconds < best[setup].seconds:
                    best[setup] = measure
        native_m, blocks_off_m, credit_m = best[native], best[blocks_off], best[credit]
        ratio = credit_m.seconds / native_m.seconds if native_m.seconds else 0.0
        ratio_check = credit_m.seconds / blocks_off_m.seconds if blocks_off_m.seconds else 0.0

        report(
            f"Credit exposure ({n_customers:,} customers, {receivable_lines:,} receivable move lines)",
            [
                ("full exposure rebuild", rebuild.seconds, "s"),
                ("full exposure rebuild queries", rebuild.queries, ""),
                ("'over limit' search", search.seconds, "s"),
                ("'over limit' search queries", search.queries, ""),
                ("customers over limit", over_ids[-1], ""),
                ("sort 80 customers by exposure", sort.seconds, "s"),
                ("confirm 100 orders, native", native_m.seconds, "s"),
                ("confirm 100 orders, credit blocks off (triggers on)", blocks_off_m.seconds, "s"),
                ("confirm 100 orders, with credit check", credit_m.seconds, "s"),
                ("queries per confirmation, native", native_m.queries // 100, ""),
                ("queries per confirmation, with credit", credit_m.queries // 100, ""),
                ("ratio credit / native, machinery off", ratio, ""),
                ("ratio credit / blocks off: cost of the check (target <= 1.10)", ratio_check, ""),
            ],
        )


if __name__ == "__main__":
    main()

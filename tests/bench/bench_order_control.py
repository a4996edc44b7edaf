"""Checklists and statuses of many open orders: time and SQL queries, which must not grow with the orders.

setup/adv bench order_control [--bench-args --scale 1]   (scale 1: 10,000 orders)
"""

import benchlib
from benchlib import Measure


def _sync(env, order_ids):
    orders = env["sale.order"].browse(order_ids)
    env["adv.document"]._sync_order_checklists(orders)
    # Reading the stored statuses makes the ORM compute them all.
    orders.mapped("adv_doc_status")


def main():
    args = benchlib.parse_args(__doc__)
    n_orders = int(10000 * args.scale)
    with benchlib.bench_env() as env:
        for xmlid, requirement in [
            ("doc_type_purchase_order", "confirmation"),
            ("doc_type_kbis", "invoicing"),
            ("doc_type_framework_contract", "info"),
        ]:
            env.ref(f"adv_order_control.{xmlid}").write({"active": True, "requirement": requirement})
        partners = benchlib.make_customers(env, max(n_orders // 5, 1))
        orders = benchlib.make_orders(env, partners, n_orders, confirm=False)
        env.cr.commit()
        rows = []
        for size in sorted({max(n_orders // 10, 1), n_orders}):
            with env.cr.savepoint(flush=False) as savepoint:
                with Measure(env, "sync") as m:
                    _sync(env, orders[:size])
                docs = env["adv.document"].search_count([])
                env.invalidate_all()
                savepoint.rollback()
            rows += [
                (f"{size} orders: checklists and statuses", m.seconds, "s"),
                (f"{size} orders: SQL queries", m.queries, f"({m.queries / size:.3f} per order)"),
                (f"{size} orders: documents created", docs, ""),
            ]
        with Measure(env, "first") as m:
            _sync(env, orders)
        env.invalidate_all()
        with Measure(env, "refresh") as again:
            _sync(env, orders)
        rows += [
            (f"{n_orders} orders: refresh of existing checklists", again.seconds, "s"),
            (f"{n_orders} orders: refresh, SQL queries", again.queries, ""),
        ]
        env.invalidate_all()
        native = benchlib.best_of(
            env, "native", lambda: env["sale.order"].browse(orders).mapped("amount_total")
        )
        rows.append((f"native: read the totals of {n_orders} orders", native.seconds, "s (reference)"))
        benchlib.report(f"adv_order_control: checklists of {n_orders} open orders", rows)


if __name__ == "__main__":
    main()

"""Speed of the shared data generator, and a check that what it writes is consistent.

setup/adv bench datagen [--bench-args --scale 10]
"""

import benchlib
from benchlib import Measure


def main():
    args = benchlib.parse_args(__doc__)
    n_customers, n_orders = int(1000 * args.scale), int(2000 * args.scale)
    n_invoices = int(5000 * args.scale)
    with benchlib.bench_env() as env:
        rows = []
        with Measure(env, "customers") as m:
            partners = benchlib.make_customers(env, n_customers)
        rows.append((f"{n_customers} customers", m.seconds, "s"))
        with Measure(env, "orders") as m:
            benchlib.make_orders(env, partners, n_orders, lines=2)
        rows.append((f"{n_orders} confirmed orders of 2 lines", m.seconds, "s"))
        with Measure(env, "invoices") as m:
            invoices = benchlib.make_invoices(env, partners, n_invoices, paid_every=3)
        rows.append((f"{n_invoices} posted invoices, one in three paid", m.seconds, "s"))
        moves = env["account.move"].browse(invoices)
        assert len(moves) == n_invoices, len(moves)
        states = {s: len(g) for s, g in moves.grouped("payment_state").items()}
        env.cr.execute(
            "SELECT count(*), round(sum(amount_residual), 2) FROM account_move_line "
            "WHERE move_id = ANY(%s) AND display_type = 'payment_term'",
            [invoices],
        )
        receivables, residual = env.cr.fetchone()
        unpaid = n_invoices - n_invoices // 3
        expected = round(float(moves[:1].amount_total) * unpaid, 2)
        rows += [
            ("receivable lines", receivables, ""),
            ("open receivable", float(residual), f"(expected {expected:,.2f})"),
            ("payment states", str(states), ""),
        ]
        benchlib.report("data generator", rows)
        if float(residual) != expected:
            raise SystemExit("the generated receivables do not add up")


if __name__ == "__main__":
    main()

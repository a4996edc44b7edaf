"""Data of a load run (``setup/adv load``): the benchmark's customers, orders and invoices (tests/bench's
generator), one Odoo user per load client, and what the clients work on.

Run by the harness with the venv's Python on one database of its private cluster:
    ADV_ODOO_CONFIG=... ADV_BENCH_DB=adv_load_suite python load_datagen.py --scale 0.1 --users 32 --suite
Prints one JSON line: the ids and logins the clients need.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))

import benchlib

from odoo import Command

# Client i plays ROLES[i % 4]: half the clients sell, a quarter log time, a quarter do the ADV work.
ROLES = ["sales", "adv", "consultant", "sales"]
ORDER_PRICE = 500.0
# Room left under each customer's limit, in orders of ORDER_PRICE (taxes included a little more):
# none, a few, many; 0 = no limit. Customers with little room make the credit check refuse orders.
HEADROOM = [0.5, 2, 6, 0]


def _groups(env, suite, role):
    names = {
        "sales": ["sales_team.group_sale_salesman"],
        "consultant": ["hr_timesheet.group_hr_timesheet_user"],
        # An ADV user exports lists (Odoo 18 asks for the export right).
        "adv": [
            "sales_team.group_sale_salesman_all_leads",
            "account.group_account_invoice",
            "base.group_allow_export",
        ],
    }[role]
    if suite and role == "adv":
        names += ["adv_order_control.group_adv_user", "adv_credit_mgmt.group_credit_controller"]
    return [env.ref(name).id for name in names]


def _users(env, count, suite):
    """One user per client (login = password), each consultant with an employee for its timesheets."""
    users = []
    for index in range(count):
        role = ROLES[index % len(ROLES)]
        login = f"load_{role}_{index:02d}"
        user = env["res.users"].create(
            {
                "name": f"Load {role} {index:02d}",
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.set(_groups(env, suite, role))],
                "tz": "UTC",
            }
        )
        if role == "consultant":
            env["hr.employee"].create({"name": user.name, "user_id": user.id})
        users.append({"login": login, "role": role, "uid": user.id})
    return users


def _credit_limits(env, customers):
    """Limit = current exposure + the room of HEADROOM, customers in turn (suite only: the native
    credit limit only warns, and is off by default)."""
    company = env.company
    company.adv_credit_order_check = "block"
    env["adv.credit.exposure"]._refresh()
    env.cr.execute(
        """
        UPDATE res_partner p
           SET credit_limit = jsonb_build_object(%(company)s::text,
                   COALESCE(e.amount_decision, 0) + h.room * %(price)s)
          FROM unnest(%(ids)s::int[], %(rooms)s::float[]) AS h(id, room)
          LEFT JOIN adv_credit_exposure e ON e.partner_id = h.id AND e.company_id = %(company)s
         WHERE p.id = h.id AND h.room > 0
        """,
        {
            "company": company.id,
            "price": ORDER_PRICE * 1.25,
            "ids": customers,
            "rooms": [HEADROOM[k % len(HEADROOM)] for k in range(len(customers))],
        },
    )
    env["res.partner"].invalidate_model()
    # Reminders are due on the generator's overdue invoices (levels are off by default).
    env.ref("adv_credit_mgmt.dunning_level_courtesy").active = True
    env.ref("adv_credit_mgmt.dunning_level_call").active = True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--suite", action="store_true", help="the suite is installed: credit limits on")
    args = parser.parse_args()
    n_customers, n_orders = max(int(1000 * args.scale), 20), max(int(2000 * args.scale), 40)
    n_invoices = max(int(5000 * args.scale), 100)
    with benchlib.bench_env() as env:
        customers = benchlib.make_customers(env, n_customers, name="Load customer")
        product = benchlib.service_product(env, "Load consulting day", ORDER_PRICE)
        orders = benchlib.make_orders(env, customers, n_orders, product=product)
        invoices = benchlib.make_invoices(env, customers, n_invoices, paid_every=3)
        project = env["project.project"].create(
            {"name": "Load project", "partner_id": customers[-1], "allow_timesheets": True}
        )
        users = _users(env, args.users, args.suite)
        project.message_subscribe(
            partner_ids=env["res.users"].browse([u["uid"] for u in users]).partner_id.ids
        )
        if args.suite:
            _credit_limits(env, customers)
        # The daily crons run when the harness says so (its fault step), not in the middle of a measure.
        env.cr.execute("UPDATE ir_cron SET nextcall = now() + interval '7 days' WHERE interval_type = 'days'")
        env.cr.execute(
            "SELECT id FROM adv_dispute_reason ORDER BY id LIMIT 1" if args.suite else "SELECT NULL"
        )
        reason = env.cr.fetchone()[0]
        print(
            json.dumps(
                {
                    "customers": customers,
                    "product": product.id,
                    "project": project.id,
                    "orders": orders,
                    "invoices": invoices,
                    "users": users,
                    "dispute_reason": reason,
                }
            )
        )


if __name__ == "__main__":
    main()

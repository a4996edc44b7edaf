from datetime import date

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.adv_order_control.tests.common import RefusalAsserts


class AdvKpiCommon(RefusalAsserts, TransactionCase):
    """Users per group, customers and a product; invoices are built with explicit dates and amounts so
    that every KPI can be computed by hand in the tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env["res.company"].create({"name": "ADV KPI Test Co"})
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        groups = {
            "user": cls.env.ref("adv_order_control.group_adv_user"),
            "manager": cls.env.ref("adv_order_control.group_adv_manager"),
        }
        invoice_group = cls.env.ref("account.group_account_invoice")
        cls.adv_user = cls._make_user("kpi_adv_user", groups["user"] | invoice_group)
        cls.adv_user2 = cls._make_user("kpi_adv_user2", groups["user"] | invoice_group)
        cls.adv_manager = cls._make_user("kpi_adv_manager", groups["manager"] | invoice_group)
        cls.customer_a = cls.env["res.partner"].create({"name": "KPI Customer A", "company_id": False})
        cls.customer_b = cls.env["res.partner"].create({"name": "KPI Customer B", "company_id": False})
        cls.product = cls.env["product.product"].create(
            {"name": "KPI consulting", "type": "service", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.Snapshot = cls.env["adv.kpi.snapshot"]

    @classmethod
    def _make_user(cls, login, groups):
        return cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": f"{login}@example.com",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set((groups | cls.env.ref("base.group_user")).ids)],
            }
        )

    @classmethod
    def _invoice(
        cls, partner, amount, invoice_date, move_type="out_invoice", agent=None, salesperson=None, **vals
    ):
        """A posted invoice (no tax: amounts are tax included as given), due 30 days later."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "invoice_date": invoice_date,
                "invoice_date_due": vals.pop("due", None) or invoice_date.replace(day=28),
                "invoice_user_id": (salesperson or cls.adv_manager).id,
                "adv_agent_id": (agent or cls.adv_user).id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product.id, "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
                **vals,
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, pay_date):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": pay_date}).action_create_payments()

    def _row(self, month, dimension="company", **key):
        domain = [("company_id", "=", self.company.id), ("month", "=", month), ("dimension", "=", dimension)]
        domain += [(name, "=", value.id) for name, value in key.items()]
        return self.Snapshot.search(domain)

    def _compute(self, *months):
        for month in months:
            self.Snapshot._compute_month(self.company, month)


JAN, FEB, MAR, APR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class AdvCreditCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.salesman = new_test_user(
            cls.env, "credit_sales", groups="sales_team.group_sale_salesman_all_leads", name="Sam Sales"
        )
        cls.adv_user = new_test_user(
            cls.env,
            "credit_adv",
            groups="adv_order_control.group_adv_user,sales_team.group_sale_salesman_all_leads",
            name="Alice ADV",
        )
        cls.controller = new_test_user(
            cls.env,
            "credit_controller",
            groups="adv_credit_mgmt.group_credit_controller,account.group_account_invoice,"
            "sales_team.group_sale_salesman_all_leads",
            name="Chloe Controller",
        )
        cls.manager = new_test_user(
            cls.env,
            "credit_manager",
            groups="adv_credit_mgmt.group_credit_manager,account.group_account_manager,"
            "sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
            name="Marc Credit Manager",
        )
        cls.company.adv_credit_controller_id = cls.controller
        cls.customer = cls.env["res.partner"].create({"name": "Durand SA", "is_company": True})
        cls.contact = cls.env["res.partner"].create(
            {"name": "Paul Durand", "parent_id": cls.customer.id, "type": "contact"}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Martin SARL", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Industrial pump",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.currency = cls.company.currency_id
        cls.foreign = (
            cls.env.ref("base.EUR") if cls.currency != cls.env.ref("base.EUR") else cls.env.ref("base.USD")
        )
        cls.foreign.active = True
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.foreign.id, "rate": 2.0, "name": cls.today - timedelta(days=400)}
        )

    # ------------------------------------------------------------ helpers
    @classmethod
    def _order(cls, partner, amount, qty=1.0, currency=None, confirm=False):
        vals = {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": qty,
                        "price_unit": amount / qty,
                        "tax_id": [],
                    }
                )
            ],
        }
        if currency:
            pricelist = cls.env["product.pricelist"].create({"name": "Foreign", "currency_id": currency.id})
            vals["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(vals)
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def _invoice(cls, partner, amount, due=None, currency=None, post=True, move_type="out_invoice"):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": cls.today - timedelta(days=60),
                "currency_id": (currency or cls.currency).id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Pump", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        if due:
            move.invoice_date_due = due
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount=None):
        vals = {"amount": amount} if amount else {}
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(vals)
        )
        return wizard._create_payments()

    def _exposure(self, partner=None):
        partner = (partner or self.customer).with_env(self.env)
        partner.invalidate_recordset()
        return partner

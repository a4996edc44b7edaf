from contextlib import contextmanager
from xmlrpc.client import Fault

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import mute_logger


class RefusalAsserts:
    @contextmanager
    def assertRaisesText(self, exception, text):
        """``assertRaises`` (its savepoint undoes what the refused call wrote), ``text`` in the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))


class AdvOrderControlCommon(RefusalAsserts, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.salesman = new_test_user(cls.env, "adv_oc_salesman", groups="sales_team.group_sale_salesman")
        cls.adv_user = new_test_user(
            cls.env, "adv_oc_user", groups="adv_order_control.group_adv_user,account.group_account_invoice"
        )
        cls.adv_manager = new_test_user(
            cls.env,
            "adv_oc_manager",
            groups="adv_order_control.group_adv_manager,account.group_account_invoice",
        )
        cls.team = cls.env["crm.team"].create({"name": "ADV test team", "user_id": cls.adv_user.id})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Durand SAS",
                "is_company": True,
                "street": "1 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "vat": "FR23334175221",
                "email": "compta@durand.example",
            }
        )
        cls.contact = cls.env["res.partner"].create({"name": "Marie Durand", "parent_id": cls.customer.id})
        cls.product = cls.env["product.product"].create(
            {"name": "Consulting day", "type": "service", "list_price": 800.0, "invoice_policy": "order"}
        )
        # Start from no rule, whatever the demo data switched on.
        cls.env["adv.document.type"].search([]).active = False
        cls.po_type = cls.env.ref("adv_order_control.doc_type_purchase_order")
        cls.kbis_type = cls.env.ref("adv_order_control.doc_type_kbis")

    @classmethod
    def _order(cls, partner=None, qty=1, user=None, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": (user or cls.salesman).id,
                "team_id": cls.team.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})],
                **values,
            }
        )

    @classmethod
    def _require(cls, doc_type, requirement="confirmation", **values):
        doc_type.write({"active": True, "requirement": requirement, "min_amount": 0.0, **values})


class AdvRpcCase(RefusalAsserts, HttpCase):
    """Calls Odoo's external API (XML-RPC) as a given user, as integrations and power users do.

    Users made by ``new_test_user`` log in with their login as password.
    """

    def rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    def assertRpcRefused(self, user, model, method, *args, error="", **kwargs):
        """Call ``method`` as ``user`` and check that Odoo refuses it with ``error`` in its message."""
        # The server logs each refused call as a warning: expected here.
        with self.assertRaises(Fault) as caught, mute_logger("odoo.http"):
            self.rpc(user, model, method, *args, **kwargs)
        self.assertIn(error, caught.exception.faultString)
        return caught.exception

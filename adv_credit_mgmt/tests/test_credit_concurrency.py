import psycopg2

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from ..models.adv_credit_exposure import FIGURES


@tagged("post_install", "-at_install")
class TestCreditConcurrency(TransactionCase):
    """Two users confirming orders for the same customer at once cannot together exceed the limit.

    Real concurrent transactions need committed data and independent connections: the test commits its
    own records through separate cursors and removes them at the end.
    """

    def _cursor(self):
        cursor = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cursor.close)
        return cursor

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})

    def _setup_data(self):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = self._env(cr)
            company = env.company
            partner = env["res.partner"].create({"name": "Concurrent Customer", "is_company": True})
            partner.credit_limit = 1000.0
            product = env["product.product"].create(
                {
                    "name": "Concurrent pump",
                    "type": "consu",
                    "list_price": 800.0,
                    "taxes_id": [Command.clear()],
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "price_unit": 800.0, "tax_id": []})
                        ],
                    }
                    for _ in range(2)
                ]
            )
            company.adv_credit_order_check = "block"
            cr.commit()  # pylint: disable=invalid-commit
            ids = (company.id, partner.id, product.id, orders.ids)
        self.addCleanup(self._cleanup, *ids)
        return ids

    def _cleanup(self, company_id, partner_id, product_id, order_ids):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = self._env(cr)
            env["res.company"].browse(company_id).adv_credit_order_check = "none"
            cr.commit()  # pylint: disable=invalid-commit
            # The override log is an audit trail that refuses deletion through the ORM.
            cr.execute("DELETE FROM adv_credit_override WHERE partner_id = %s", [partner_id])
            orders = env["sale.order"].browse(order_ids).exists()
            orders._action_cancel()
            if "stock.move" in env:
                # With sale_stock, the confirmed order made deliveries that keep the product referenced.
                moves = env["stock.move"].search([("product_id", "=", product_id)])
                pickings = moves.picking_id
                moves._action_cancel()
                moves.unlink()
                pickings.unlink()
            orders.unlink()
            env["product.product"].browse(product_id).unlink()
            env["res.partner"].browse(partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def test_two_confirmations_cannot_both_pass(self):
        _company_id, _partner_id, _product_id, (order_a_id, order_b_id) = self._setup_data()
        cr_a, cr_b = self._cursor(), self._cursor()
        env_a, env_b = self._env(cr_a), self._env(cr_b)
        order_a, order_b = env_a["sale.order"].browse(order_a_id), env_b["sale.order"].browse(order_b_id)

        # B's transaction starts (its snapshot is taken) before A confirms.
        cr_b.execute("SELECT 1")
        # A checks (taking the customer's lock), finds no issue alone, confirms and commits.
        self.assertFalse(order_a._adv_credit_issues())
        order_a.action_confirm()
        cr_a.commit()  # pylint: disable=invalid-commit
        # B checked on an outdated snapshot: the lock refuses it (Odoo retries such requests).
        with self.assertRaises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
            order_b._adv_credit_issues()
        cr_b.rollback()
        # The retry sees A's order in the exposure: B is over the limit.
        env_b.invalidate_all()
        issues = order_b._adv_credit_issues()
        self.assertEqual([i.code for i in issues], ["credit_over_limit"])
        cr_b.rollback()

    # ------------------------------------------------------------ exposure rows of a new customer
    def _new_customer(self):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            partner = self._env(cr)["res.partner"].create({"name": "Brand-new Customer", "is_company": True})
            cr.commit()  # pylint: disable=invalid-commit
            partner_id = partner.id
        self.addCleanup(self._cleanup_customer, partner_id)
        return partner_id

    def _cleanup_customer(self, partner_id):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = self._env(cr)
            env["account.move"].search([("partner_id", "=", partner_id)]).unlink()
            env["res.partner"].browse(partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _draft_invoice(self, env, partner_id, amount):
        return env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner_id,
                "invoice_line_ids": [
                    Command.create({"name": "Pump", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )

    def test_two_drafts_for_a_new_customer_both_commit(self):
        # Two users create a draft invoice for the same new customer at once: both transactions insert the
        # customer's first exposure row. The second one must end with a serialization failure, which Odoo
        # retries (here through Odoo's own retry, as a request would be), never a duplicate-key error.
        partner_id = self._new_customer()
        cr_a, cr_b = self._cursor(), self._cursor()
        env_a, env_b = self._env(cr_a), self._env(cr_b)
        attempts = []

        def create_b():
            attempts.append(len(attempts) + 1)
            cr_b.execute("SELECT 1")  # B's snapshot: before A commits on its first attempt
            if len(attempts) == 1:
                self._draft_invoice(env_a, partner_id, 300.0)
                env_a.flush_all()
                cr_a.commit()  # pylint: disable=invalid-commit
            self._draft_invoice(env_b, partner_id, 500.0)
            env_b.flush_all()

        with mute_logger("odoo.sql_db", "odoo.service.model"):
            retrying(create_b, env_b)
        self.assertEqual(attempts, [1, 2], "the first attempt met A's row and was retried once")

        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = self._env(cr)
            self.assertEqual(env["account.move"].search_count([("partner_id", "=", partner_id)]), 2)
            figures = SQL(", ".join(FIGURES))
            table = env.execute_query(
                SQL("SELECT %s FROM adv_credit_exposure WHERE partner_id = %s", figures, partner_id)
            )
            scratch = env.execute_query(
                SQL(
                    "SELECT %s FROM (%s) s WHERE partner_id = %s",
                    figures,
                    env["adv.credit.exposure"]._from_scratch_sql(),
                    partner_id,
                )
            )
            self.assertEqual(table, scratch)
            self.assertEqual(env["res.partner"].browse(partner_id).adv_exposure_draft, 800.0)

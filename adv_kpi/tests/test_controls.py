"""KPI controls through the paths users take: the recompute wizard's companies, the overdue cut-off and
the credit-note reason."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.adv_order_control.tests.common import AdvRpcCase

from .common import FEB, JAN, AdvKpiCommon


class KpiControlsCommon(AdvKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "ADV KPI Other Co"})


@tagged("post_install", "-at_install")
class TestRecomputeCompanies(KpiControlsCommon):
    def _wizard_model(self, *companies):
        return (
            self.env["adv.kpi.recompute.wizard"]
            .with_user(self.adv_manager)
            .with_context(allowed_company_ids=[c.id for c in companies])
        )

    def test_own_companies_through_form(self):
        self._invoice(self.customer_a, 100.0, date(2024, 1, 10))
        form = Form(self._wizard_model(self.company))
        form.date_from, form.date_to = JAN, JAN
        form.save().action_recompute()
        self.assertAlmostEqual(self._row(JAN).invoice_amount, 100.0)

    def test_other_company_refused(self):
        Wizard = self._wizard_model(self.company)
        with self.assertRaisesText(ValidationError, self.other_company.name):
            Wizard.create(
                {"date_from": JAN, "date_to": JAN, "company_ids": [Command.set(self.other_company.ids)]}
            )
        # A manager of both companies working in one of them: through the form the other one is refused.
        self.adv_manager.write(
            {
                "company_ids": [Command.link(self.other_company.id)],
                "groups_id": [Command.link(self.env.ref("base.group_multi_company").id)],
            }
        )
        form = Form(Wizard)
        with self.assertRaises(Exception) as caught:
            form.company_ids.add(self.other_company)
            form.save()
        self.assertIsInstance(caught.exception, AccessError | ValidationError)
        # Working in both, they may pick both.
        form = Form(self._wizard_model(self.company, self.other_company))
        form.company_ids.add(self.other_company)
        self.assertEqual(form.save().company_ids, self.company | self.other_company)
        self.assertFalse(
            self.Snapshot.sudo().search([("company_id", "=", self.other_company.id)]),
            "nothing computed for the other company",
        )


@tagged("post_install", "-at_install")
class TestRecomputeCompaniesRpc(AdvRpcCase, KpiControlsCommon):
    def test_other_company_refused_over_rpc(self):
        manager = new_test_user(
            self.env,
            "kpi_rpc_manager",
            groups="adv_order_control.group_adv_manager,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertRpcRefused(
            manager,
            "adv.kpi.recompute.wizard",
            "create",
            {
                "date_from": "2024-01-01",
                "date_to": "2024-01-01",
                "company_ids": [(6, 0, self.other_company.ids)],
            },
            error="You can only recompute the KPIs",
            context={"allowed_company_ids": self.company.ids},
        )
        # Claiming the other company in the context does not help: Odoo checks it against the user's.
        self.assertRpcRefused(
            manager,
            "adv.kpi.recompute.wizard",
            "create",
            {
                "date_from": "2024-01-01",
                "date_to": "2024-01-01",
                "company_ids": [(6, 0, self.other_company.ids)],
            },
            context={"allowed_company_ids": self.other_company.ids},
        )
        self.assertFalse(self.Snapshot.sudo().search([("company_id", "=", self.other_company.id)]))


@tagged("post_install", "-at_install")
class TestOverdueCutOff(AdvKpiCommon):
    def test_due_on_month_end_is_not_overdue(self):
        # January (computed in full): 500 due on the 31st, 200 due on the 30th.
        self._invoice(self.customer_a, 500.0, date(2024, 1, 10), due=date(2024, 1, 31))
        self._invoice(self.customer_b, 200.0, date(2024, 1, 11), due=date(2024, 1, 30))
        # February (chained on January): 300 due on the 29th, the last day of that leap month.
        self._invoice(self.customer_a, 300.0, date(2024, 2, 5), due=date(2024, 2, 29))
        self._compute(JAN, FEB)
        jan, feb = self._row(JAN), self._row(FEB)
        self.assertAlmostEqual(jan.receivable_not_due, 500.0)
        self.assertAlmostEqual(jan.receivable_overdue, 200.0)
        self.assertAlmostEqual(feb.receivable_end, 1000.0)
        self.assertAlmostEqual(feb.receivable_not_due, 300.0)
        self.assertAlmostEqual(feb.receivable_overdue, 700.0, msg="January's items are overdue by now")


@tagged("post_install", "-at_install")
class TestCreditNoteReason(AdvKpiCommon):
    def _reversal(self, move):
        return (
            self.env["account.move.reversal"]
            .with_user(self.adv_manager)
            .with_context(active_model="account.move", active_ids=move.ids)
        )

    def test_offered_and_accepted_on_customer_invoices_only(self):
        invoice = self._invoice(self.customer_a, 100.0, date(2024, 4, 1))
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer_b.id,
                "company_id": self.company.id,
                "invoice_date": date(2024, 4, 2),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": 1, "price_unit": 50.0, "tax_ids": []}
                    )
                ],
            }
        )
        bill.action_post()
        form = Form(self._reversal(invoice))
        self.assertTrue(form.adv_refund_reason_allowed)
        form.adv_refund_reason = "billing_error"
        form.journal_id = invoice.journal_id
        refund = self.env["account.move"].browse(form.save().reverse_moves()["res_id"])
        self.assertEqual(refund.adv_refund_reason, "billing_error")

        self.assertFalse(Form(self._reversal(bill)).adv_refund_reason_allowed)
        with self.assertRaisesText(ValidationError, "customer invoices only"):
            self._reversal(bill).create(
                {
                    "adv_refund_reason": "billing_error",
                    "journal_id": bill.journal_id.id,
                    "date": date(2024, 4, 20),
                }
            )
        with self.assertRaises(ValidationError):
            bill.with_user(self.adv_manager).adv_refund_reason = "billing_error"
        with self.assertRaises(ValidationError):
            invoice.with_user(self.adv_manager).adv_refund_reason = "billing_error"

"""Issue 10: the credit controls hold on the paths users take (buttons, wizards, forms)."""

from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestCreditControls(AdvCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, "credit_employee", groups="base.group_user", name="Eve Employee"
        )
        cls.portal = new_test_user(cls.env, "credit_portal", groups="base.group_portal", name="Paul Portal")
        cls.portal.partner_id.parent_id = cls.customer
        cls.customer.write({"adv_credit_risk_class": "d", "adv_credit_block_reason": "Unpaid since May"})
        # Salespeople and the ADV team create and edit customers (Odoo's Contact Creation right).
        partner_manager = cls.env.ref("base.group_partner_manager")
        (cls.salesman + cls.adv_user + cls.controller).groups_id = [Command.link(partner_manager.id)]

    # ------------------------------------------------------------ A. decision fields
    def test_salesperson_cannot_release_or_set_a_credit_hold(self):
        order = self._order(self.customer, 5000.0, confirm=True)
        order._adv_credit_put_on_hold("Over limit")
        order.user_id = self.salesman
        mine = order.with_user(self.salesman)
        with self.assertRaises(AccessError):
            mine.write({"adv_credit_hold": False})
        with self.assertRaises(AccessError):
            mine.write({"adv_credit_hold_reason": "Released by myself"})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.adv_user).create(
                {"partner_id": self.other_customer.id, "adv_credit_hold": True}
            )
        self.assertTrue(order.adv_credit_hold)
        # The release button is for Credit Managers: a controller's wizard is refused, nothing logged.
        action = order.with_user(self.controller).action_adv_release_credit_hold()
        form = Form(
            self.env[action["res_model"]].with_user(self.controller).with_context(**action["context"])
        )
        form.reason = "Customer promised to pay"
        with self.assertRaises(AccessError):
            form.save().action_release()
        self.assertTrue(order.adv_credit_hold)
        self.assertFalse(self.env["adv.credit.override"].search([("order_id", "=", order.id)]))

    def test_credit_profile_not_set_at_creation_by_a_salesperson(self):
        self.company.adv_credit_order_check = "warning"
        Partner = self.env["res.partner"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Partner.create(
                {
                    "name": "Generous SA",
                    "is_company": True,
                    "adv_credit_temp_increase": 1e9,
                    "adv_credit_temp_until": date(2099, 12, 31),
                }
            )
        with self.assertRaises(AccessError):
            Partner.create({"name": "Generous SA", "is_company": True, "credit_limit": 1e9})
        # The customer form as a salesperson: it opens and saves with its defaults.
        form = Form(Partner)
        form.company_type = "company"
        form.name = "Plain Customer SA"
        partner = form.save()
        self.assertEqual(partner.sudo().credit_limit, 0.0)
        # A contact of a customer takes its company's credit limit (Odoo's commercial-field sync).
        self.customer.credit_limit = 7000.0
        contact = Partner.create({"name": "Jeanne Durand", "parent_id": self.customer.id})
        self.assertEqual(contact.sudo().credit_limit, 7000.0)
        # A Credit Manager sets the profile at creation.
        insured = (
            self.env["res.partner"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Insured SA",
                    "is_company": True,
                    "credit_limit": 5000.0,
                    "adv_credit_cover_pct": 90.0,
                }
            )
        )
        self.assertEqual(insured.credit_limit, 5000.0)

    def test_credit_limit_and_review_date_only_by_credit_manager(self):
        self.company.adv_credit_invoice_check = "block"
        self.customer.credit_limit = 1000.0
        for user in (self.salesman, self.adv_user, self.controller):
            with self.assertRaises(AccessError, msg=user.name):
                self.customer.with_user(user).write({"credit_limit": 50000.0})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).write({"adv_credit_reviewed_on": self.today})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).write({"adv_credit_temp_increase": 100.0})
        # The form sends unchanged values too: they pass.
        self.customer.with_user(self.controller).write({"credit_limit": 1000.0, "comment": "Called"})
        # The review is the Credit Manager's button; the next review date the controller's field.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).action_adv_mark_reviewed()
        self.customer.with_user(self.manager).action_adv_mark_reviewed()
        self.assertEqual(self.customer.adv_credit_reviewed_on, self.today)
        self.customer.with_user(self.controller).adv_credit_review_date = self.today + timedelta(days=365)
        self.customer.with_user(self.manager).credit_limit = 50000.0
        self.assertEqual(self.customer.credit_limit, 50000.0)

    def test_credit_limit_is_odoo_own_field_while_credit_control_is_off(self):
        # Installing the suite changes nothing a company did not ask for: with every credit check off,
        # whoever may edit customers keeps setting Odoo's credit limit (our own profile stays guarded).
        self.customer.with_user(self.controller).credit_limit = 2000.0
        self.assertEqual(self.customer.credit_limit, 2000.0)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).adv_credit_temp_increase = 100.0
        self.company.adv_credit_work_block = True
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).credit_limit = 3000.0

    # ------------------------------------------------------------ A. invoice override
    def _blocked_order_invoice(self):
        self.company.adv_credit_invoice_check = "block"
        order = self._order(self.customer, 800.0, confirm=True)
        invoice = order._create_invoices()
        self.customer.write({"adv_credit_status": "blocked", "adv_credit_block_reason": "Unpaid"})
        return order, invoice

    def _post_over_block(self, invoice, user, reason):
        action = invoice.with_user(user).action_adv_credit_post_override()
        form = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        form.reason = reason
        return form.save().action_post()

    def test_override_posts_an_order_invoice_through_the_wizard(self):
        order, invoice = self._blocked_order_invoice()
        other = self._invoice(self.customer, 100.0, post=False)
        self.assertTrue(invoice.adv_credit_post_blocked)
        # The old context key lifts nothing, not even for a Credit Manager.
        with self.assertRaises(UserError):
            invoice.with_user(self.manager).with_context(adv_credit_override_reason="CFO").action_post()
        # Only a Credit Manager opens the override.
        with self.assertRaises(AccessError):
            invoice.with_user(self.controller).action_adv_credit_post_override()
        with self.assertRaises(AccessError):
            self.env["adv.credit.post.wizard"].with_user(self.controller).create(
                {"move_ids": invoice.ids, "reason": "CFO"}
            ).action_post()
        self._post_over_block(invoice, self.manager, "Agreed with the CFO")
        self.assertEqual(invoice.state, "posted")
        log = self.env["adv.credit.override"].search([("move_id", "=", invoice.id)])
        self.assertEqual(log.kind, "invoice")
        self.assertEqual(log.code, "credit_account_blocked")
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(log.reason, "Agreed with the CFO")
        # The override covered that posting only: the order's next invoice and another invoice wait.
        with self.assertRaises(UserError):
            other.with_user(self.manager).action_post()
        self.assertIn("credit_account_blocked", {b.code for b in order._adv_invoicing_blockers()[order.id]})

    def test_override_lifts_a_credit_hold_for_the_invoice(self):
        order = self._order(self.customer, 800.0, confirm=True)
        invoice = order._create_invoices()
        order._adv_credit_put_on_hold("Confirmed online over the limit")
        with self.assertRaises(UserError):
            invoice.with_user(self.manager).action_post()
        self._post_over_block(invoice, self.manager, "Paid by bank transfer, not yet reconciled")
        self.assertEqual(invoice.state, "posted")
        log = self.env["adv.credit.override"].search([("move_id", "=", invoice.id)])
        self.assertEqual(log.code, "credit_hold")
        self.assertTrue(order.adv_credit_hold, "the order stays on hold: release is its own decision")

    def test_override_needs_a_blocked_invoice_and_a_reason(self):
        invoice = self._invoice(self.customer, 100.0, post=False)
        wizard = self.env["adv.credit.post.wizard"].with_user(self.manager)
        with self.assertRaises(UserError):
            wizard.create({"move_ids": invoice.ids, "reason": "No reason to"}).action_post()
        _order, blocked = self._blocked_order_invoice()
        with self.assertRaises(UserError):
            wizard.create({"move_ids": blocked.ids, "reason": "  "}).action_post()
        self.assertEqual(blocked.state, "draft")

    # ------------------------------------------------------------ B. credit data
    def test_credit_data_hidden_from_sales_employees_and_portal(self):
        order = self._order(self.customer, 100.0, confirm=True)
        order._adv_credit_put_on_hold("Over limit")
        for user in (self.salesman, self.employee, self.portal):
            partner = self.customer.with_user(user)
            for fname in ("adv_credit_risk_class", "adv_credit_block_reason", "adv_exposure_total"):
                with self.assertRaises(AccessError, msg=f"{user.name} reads {fname}"):
                    partner.read([fname])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).read(["adv_credit_insured_limit"])
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).read(["adv_credit_hold_reason"])
        with self.assertRaises(AccessError):
            self.env["adv.credit.exposure"].with_user(self.salesman).search([])
        for user in (self.adv_user, self.controller):
            self.assertEqual(self.customer.with_user(user).adv_credit_risk_class, "d")
        # Forms open for everyone who opens customers and orders.
        for user in (self.salesman, self.employee, self.adv_user):
            Form(self.customer.with_user(user))
        Form(order.with_user(self.salesman))
        quotation = Form(self.env["sale.order"].with_user(self.salesman))
        quotation.partner_id = self.other_customer
        self.assertFalse(quotation.save().adv_credit_hold)
        edited = Form(self.customer.with_user(self.salesman))
        edited.phone = "+33 1 23 45 67 89"
        edited.save()
        self.assertIn("Over limit", Form(order.with_user(self.adv_user)).adv_credit_hold_reason)

    def test_block_reason_not_told_to_a_salesperson(self):
        self.company.adv_credit_order_check = "block"
        self.customer.adv_credit_status = "blocked"
        order = self._order(self.customer, 10.0)
        order.user_id = self.salesman
        with self.assertRaises(UserError) as caught:
            order.with_user(self.salesman).action_confirm()
        self.assertIn("is blocked", str(caught.exception))
        self.assertNotIn("Unpaid since May", str(caught.exception))
        with self.assertRaises(UserError) as caught:
            order.with_user(self.adv_user).action_confirm()
        self.assertIn("Unpaid since May", str(caught.exception))

    def test_statement_report_restricted(self):
        invoice = self._invoice(self.customer, 500.0)
        report = self.env["ir.actions.report"]
        with self.assertRaises(AccessError):
            report.with_user(self.salesman)._render_qweb_html(
                "adv_credit_mgmt.report_adv_statement", self.customer.ids
            )
        html = (
            report.with_user(self.adv_user)
            ._render_qweb_html("adv_credit_mgmt.report_adv_statement", self.customer.ids)[0]
            .decode()
        )
        self.assertIn(invoice.name, html)

    # ------------------------------------------------------------ C. disputes
    def test_dispute_stands_on_open_invoices(self):
        Dispute = self.env["adv.dispute"].with_user(self.adv_user)
        with self.assertRaises(ValidationError) as caught:
            Dispute.create({"partner_id": self.customer.id, "amount_disputed": 1_000_000.0})
        self.assertIn("Link dispute", str(caught.exception))
        invoice = self._invoice(self.customer, 1000.0, due=self.today + timedelta(days=30))
        self._pay(invoice, 600.0)
        with self.assertRaises(ValidationError) as caught:
            Dispute.create(
                {"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 500.0}
            )
        self.assertIn("still open", str(caught.exception))
        draft = self._invoice(self.customer, 1000.0, post=False)
        with self.assertRaises(ValidationError):
            Dispute.create(
                {"partner_id": self.customer.id, "invoice_ids": draft.ids, "amount_disputed": 10.0}
            )
        with self.assertRaises(ValidationError) as caught:
            Dispute.create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": invoice.ids,
                    "amount_disputed": 400.0,
                    "date_open": self.today,
                    "deadline": self.today - timedelta(days=1),
                }
            )
        self.assertIn("before its opening", str(caught.exception))
        dispute = Dispute.create(
            {"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 400.0}
        )
        with self.assertRaises(ValidationError):
            dispute.amount_disputed = 401.0

    # ------------------------------------------------------------ D. reminders
    def test_process_reminders_credit_team_and_own_companies(self):
        self.env["adv.dunning.level"].create(
            {"name": "Test notice", "delay": 20, "channel": "letter", "stage": "formal"}
        )
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=25))
        with self.assertRaises(AccessError):
            invoice.with_user(self.adv_user).action_adv_process_reminders()
        other_company = self.env["res.company"].create({"name": "Other ADV Co"})
        outsider = new_test_user(
            self.env,
            "credit_outsider",
            groups="adv_credit_mgmt.group_credit_controller",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        invoice.with_user(outsider).action_adv_process_reminders()
        self.assertFalse(invoice.adv_reminder_ids)
        invoice.with_user(self.controller).action_adv_process_reminders()
        self.assertTrue(invoice.adv_reminder_ids)

    # ------------------------------------------------------------ E. override logged with its amount
    def test_confirmation_wizard_logs_the_amount_over_limit(self):
        self.customer.credit_limit = 10000.0
        self._order(self.customer, 5000.0, confirm=True)
        self.company.adv_credit_order_check = "block"
        order = self._order(self.contact, 5500.0)
        action = order.with_user(self.manager).with_context(adv_interactive=True).action_confirm()
        self.assertEqual(action["res_model"], "adv.confirm.wizard")
        wizard_form = Form(self.env["adv.confirm.wizard"].with_user(self.manager).browse(action["res_id"]))
        wizard_form.reason = "Bank guarantee received"
        wizard_form.save().action_confirm()
        self.assertEqual(order.state, "sale")
        log = self.env["adv.credit.override"].search([("order_id", "=", order.id)])
        self.assertEqual(log.code, "credit_over_limit")
        self.assertAlmostEqual(log.amount_over, 500.0)
        self.assertEqual(log.user_id, self.manager)

    # ------------------------------------------------------------ F. bad input
    def test_bad_credit_profile_refused(self):
        partner = self.customer.with_user(self.manager)
        for vals, message in (
            ({"credit_limit": -1.0}, "credit limit"),
            ({"adv_credit_temp_increase": -500.0}, "temporary increase"),
            ({"adv_credit_insured_limit": -1.0}, "insured limit"),
            ({"adv_credit_cover_pct": 120.0}, "between 0 and 100"),
        ):
            with self.assertRaises(ValidationError) as caught:
                partner.write(vals)
            self.assertIn(message, str(caught.exception))

    def test_bad_company_settings_refused(self):
        for fname in (
            "adv_credit_grace_days",
            "adv_credit_overdue_days",
            "adv_credit_overdue_amount",
            "adv_dispute_sla_billing",
        ):
            with self.assertRaises(ValidationError, msg=fname) as caught:
                settings = Form(self.env["res.config.settings"])
                setattr(settings, fname, -1)
                settings.save().execute()
            self.assertIn("cannot be negative", str(caught.exception))

    # ------------------------------------------------------------ G. cash forecast
    def test_cash_forecast_only_disputed_part_leaves_collections(self):
        invoice = self._invoice(self.customer, 6000.0, due=self.today + timedelta(days=10))
        self.env["adv.dispute"].with_user(self.adv_user).create(
            {"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 2000.0}
        )
        self.env.flush_all()
        rows = self.env["adv.cash.forecast"].search([("move_id", "=", invoice.id)])
        self.assertAlmostEqual(
            sum(rows.filtered(lambda r: r.certainty == "not_due").mapped("amount")), 4000.0
        )
        self.assertAlmostEqual(
            sum(rows.filtered(lambda r: r.certainty == "disputed").mapped("amount")), 2000.0
        )
        self.assertAlmostEqual(self._exposure().adv_exposure_disputed, 2000.0)
        undisputed = self._invoice(self.customer, 1000.0, due=self.today + timedelta(days=10))
        self.env.flush_all()
        rows = self.env["adv.cash.forecast"].search([("move_id", "=", undisputed.id)])
        self.assertAlmostEqual(sum(rows.mapped("amount")), 1000.0)
        self.assertEqual(rows.mapped("certainty"), ["not_due"])

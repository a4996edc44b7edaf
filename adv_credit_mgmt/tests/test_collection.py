from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestCollection(AdvCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Level = cls.env["adv.dunning.level"]
        Level.search([]).active = False
        cls.level_email = Level.create(
            {
                "name": "Test friendly",
                "delay": 3,
                "channel": "email",
                "stage": "friendly",
                "mail_template_id": cls.env.ref("adv_credit_mgmt.mail_template_adv_friendly_reminder").id,
            }
        )
        cls.level_call = Level.create(
            {"name": "Test call", "delay": 10, "channel": "phone", "stage": "friendly"}
        )
        cls.level_formal = Level.create(
            {"name": "Test notice", "delay": 20, "channel": "letter", "stage": "formal"}
        )

    def test_levels_progress_and_are_never_sent_twice(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=12))
        Reminder = self.env["adv.dunning.reminder"]
        self.assertIn(invoice, Reminder._adv_due_not_sent(), "due and not sent yet")
        first = Reminder._adv_process_due()
        self.assertFalse(Reminder._adv_due_not_sent(invoice), "sent: no longer due")
        self.assertEqual(first.filtered(lambda r: r.move_id == invoice).level_id, self.level_call)
        self.assertEqual(invoice.adv_dunning_level_id, self.level_call)
        self.assertTrue(invoice.activity_ids.filtered(lambda a: a.activity_type_id.category == "phonecall"))
        self.assertFalse(Reminder._adv_process_due(invoice), "the same level is never sent twice")
        with freeze_time(self.today + timedelta(days=10)):
            formal = Reminder._adv_process_due(invoice)
        self.assertEqual(formal.level_id, self.level_formal)
        self.assertEqual(formal.stage, "formal")
        self.assertFalse(invoice.activity_ids.filtered(lambda a: a.user_id == self.controller))
        handover = self._handover(self.customer)
        self.assertEqual(handover.user_id, self.controller)
        self.assertIn(invoice.name, str(handover.note))
        self.assertEqual(len(invoice.adv_reminder_ids), 2)

    def _handover(self, customer):
        handover_type = self.env.ref("adv_credit_mgmt.mail_activity_adv_collection_handover")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("activity_type_id", "=", handover_type.id),
            ]
        )

    def test_one_handover_per_customer_lists_its_invoices(self):
        due = self.today - timedelta(days=25)
        durand = self._invoice(self.customer, 500.0, due=due) | self._invoice(self.contact, 300.0, due=due)
        martin = self._invoice(self.other_customer, 200.0, due=due)
        (durand | martin).with_user(self.controller).action_adv_process_reminders()
        self.assertEqual(len((durand | martin).adv_reminder_ids), 3, "one reminder per invoice")
        handover = self._handover(self.customer)
        self.assertEqual(len(handover), 1, "one hand-over for the customer's two invoices")
        self.assertEqual(handover.user_id, self.controller)
        self.assertIn("credit controller", handover.summary)
        self.assertTrue(all(invoice.name in str(handover.note) for invoice in durand))
        self.assertNotIn(martin.name, str(handover.note))
        self.assertIn(martin.name, str(self._handover(self.other_customer).note))
        self.assertFalse((durand | martin).activity_ids, "no hand-over activity per invoice")
        # Another invoice of the customer reaches the stage later: added to the open hand-over.
        late = self._invoice(self.customer, 100.0, due=self.today - timedelta(days=5))
        with freeze_time(self.today + timedelta(days=20)):
            self.env["adv.dunning.reminder"]._cron_process_reminders()
        self.assertEqual(late.adv_reminder_ids.level_id, self.level_formal)
        self.assertEqual(self._handover(self.customer), handover, "updated, not duplicated")
        self.assertTrue(all(invoice.name in str(handover.note) for invoice in durand | late))
        # Once the controller marked it done, the next hand-over opens a new activity.
        handover.action_feedback("Called the customer")
        newer = self._invoice(self.customer, 100.0, due=self.today - timedelta(days=5))
        with freeze_time(self.today + timedelta(days=21)):
            self.env["adv.dunning.reminder"]._cron_process_reminders()
        self.assertEqual(newer.adv_reminder_ids.level_id, self.level_formal)
        reopened = self._handover(self.customer)
        self.assertEqual(len(reopened), 1)
        self.assertIn(newer.name, str(reopened.note))
        self.assertNotIn(late.name, str(reopened.note))
        # The controller is notified once per run with the customers handed over (not per activity): the
        # two cron runs may hand demo customers over too; Durand SA is in the notice of the run that opened
        # its new hand-over only (the mass action was the controller's own).
        notices = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.controller.partner_id.ids),
                ("subject", "like", "Collection hand-over"),
            ]
        )
        self.assertLessEqual(len(notices), 2, "one notification per run")
        self.assertEqual(len(notices.filtered(lambda m: "Durand SA" in str(m.body))), 1)

    def test_email_level_posts_template(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=4))
        reminders = self.env["adv.dunning.reminder"]._adv_process_due(invoice)
        self.assertEqual(reminders.level_id, self.level_email)
        self.assertIn("Payment reminder", invoice.message_ids[0].subject or "")

    def test_disputed_and_excluded_invoices_get_no_reminder(self):
        disputed = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=30))
        excluded = self._invoice(self.customer, 400.0, due=self.today - timedelta(days=30))
        paid = self._invoice(self.customer, 300.0, due=self.today - timedelta(days=30))
        self._pay(paid)
        self.env["adv.dispute"].create(
            {"partner_id": self.customer.id, "invoice_ids": disputed.ids, "amount_disputed": 100.0}
        )
        self.assertTrue(disputed.adv_disputed)
        excluded.action_adv_toggle_dunning_exclusion()
        moves = disputed + excluded + paid
        self.assertFalse(self.env["adv.dunning.reminder"]._adv_process_due(moves))

    def test_mass_action_and_cron(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=25))
        action = invoice.with_user(self.controller).action_adv_process_reminders()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(invoice.adv_reminder_ids.level_id, self.level_formal)
        self.env["adv.dunning.reminder"]._cron_process_reminders()
        self.assertEqual(len(invoice.adv_reminder_ids), 1)

    def test_formal_notice_and_statement_pdfs(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=25))
        reminder = self.env["adv.dunning.reminder"]._adv_process_due(invoice)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("adv_credit_mgmt.report_adv_reminder_letter", reminder.ids)[0]
            .decode()
        )
        self.assertIn("ECB refinancing rate + 10 points", html)
        self.assertIn("D441-5", html)
        self.assertIn("40", html)
        statement = (
            self.env["ir.actions.report"]
            ._render_qweb_html("adv_credit_mgmt.report_adv_statement", self.customer.ids)[0]
            .decode()
        )
        self.assertIn(invoice.name, statement)

    def test_cash_forecast_shifts_by_payment_behaviour(self):
        late = self._invoice(self.customer, 100.0, due=self.today - timedelta(days=14))
        self._pay(late)  # paid 14 days late
        self._invoice(self.customer, 700.0, due=self.today + timedelta(days=7))
        disputed = self._invoice(self.customer, 300.0, due=self.today + timedelta(days=7))
        self.env["adv.dispute"].create(
            {"partner_id": self.customer.id, "invoice_ids": disputed.ids, "amount_disputed": 300.0}
        )
        self._invoice(self.customer, 900.0, due=self.today + timedelta(days=200))  # beyond 13 weeks
        self.env.flush_all()
        rows = self.env["adv.cash.forecast"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sum(rows.mapped("amount")), 1000.0)
        disputed = rows.filtered(lambda r: r.certainty == "disputed")
        self.assertEqual(sum(disputed.mapped("amount")), 300.0)
        self.assertEqual(set(rows.mapped("date_expected")), {self.today + timedelta(days=21)})
        groups = self.env["adv.cash.forecast"]._read_group(
            [("partner_id", "=", self.customer.id)], ["week_start:week"], ["amount:sum"]
        )
        self.assertEqual(len(groups), 1)

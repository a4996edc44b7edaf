from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import AdvCreditCommon


class CollectionLevels:
    """Three reminder levels of our own (the demo's are switched off)."""

    @classmethod
    def _create_levels(cls, env):
        Level = env["adv.dunning.level"]
        Level.search([]).active = False
        cls.level_email = Level.create(
            {
                "name": "Queue friendly",
                "delay": 3,
                "channel": "email",
                "stage": "friendly",
                "mail_template_id": env.ref("adv_credit_mgmt.mail_template_adv_friendly_reminder").id,
            }
        )
        cls.level_call = Level.create(
            {"name": "Queue call", "delay": 10, "channel": "phone", "stage": "friendly"}
        )
        cls.level_formal = Level.create(
            {"name": "Queue notice", "delay": 20, "channel": "letter", "stage": "formal"}
        )


@tagged("post_install", "-at_install")
class TestCollectionQueue(CollectionLevels, AdvCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_levels(cls.env)
        cls.Queue = cls.env["adv.collection.queue"]

    def _row(self, invoice, user=None):
        # Rows are read from SQL each time: forget the values read before (a row's id is its invoice's).
        self.env.invalidate_all()
        return self.Queue.with_user(user or self.controller).search([("move_id", "=", invoice.id)])

    def _dispute(self, invoice, amount=100.0):
        return self.env["adv.dispute"].create(
            {"partner_id": invoice.partner_id.id, "invoice_ids": invoice.ids, "amount_disputed": amount}
        )

    def test_queue_row_shows_lateness_and_levels(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=12))
        not_due = self._invoice(self.customer, 300.0, due=self.today - timedelta(days=1))
        row = self._row(invoice)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.days_late, 12)
        self.assertEqual(row.date_due, self.today - timedelta(days=12))
        self.assertEqual(row.amount_residual, 500.0)
        self.assertFalse(row.last_level_id)
        self.assertEqual(row.level_id, self.level_call, "the highest level reached, as the daily job sends")
        self.assertFalse(self._row(not_due), "no level reached yet")

        action = row.action_send()
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        self.assertEqual(invoice.adv_reminder_ids.level_id, self.level_call)
        self.assertFalse(self._row(invoice), "reminded: leaves today's queue")

        with freeze_time(self.today + timedelta(days=10)):
            row = self._row(invoice)
            self.assertEqual((row.last_level_id, row.level_id), (self.level_call, self.level_formal))
            self.assertEqual(row.days_late, 22)

    def test_skip_with_a_reason(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=12))
        action = self._row(invoice).action_skip()
        wizard_env = self.env["adv.collection.skip.wizard"].with_user(self.controller)
        with Form(wizard_env.with_context(**action["context"])) as form:
            form.reason = "Payment promised by phone for Friday"
        form.record.action_skip()
        skipped = invoice.adv_reminder_ids
        self.assertTrue(skipped.skipped)
        self.assertEqual(skipped.level_id, self.level_call)
        self.assertEqual(skipped.skip_reason, "Payment promised by phone for Friday")
        self.assertFalse(invoice.activity_ids, "skipped: no call scheduled")
        self.assertIn("Payment promised by phone", invoice.message_ids[0].body)
        self.assertFalse(self._row(invoice))
        with freeze_time(self.today + timedelta(days=10)):
            self.assertEqual(self._row(invoice).level_id, self.level_formal, "the next level comes in turn")

        blank = wizard_env.create({"move_ids": invoice.ids, "reason": "  "})
        with self.assertRaises(UserError):
            blank.action_skip()

    def test_only_the_credit_team_sends_or_skips(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=12))
        row = self._row(invoice, user=self.adv_user)
        self.assertEqual(len(row), 1, "the ADV team sees the queue")
        with self.assertRaises(AccessError):
            row.action_send()
        with self.assertRaises(AccessError):
            row.action_skip()
        self.assertFalse(invoice.adv_reminder_ids)

    def test_reminders_card_figures(self):
        card = self.env["adv.work.queue"].create(
            {"name": "Reminders", "code": "reminders_today", "company_id": self.company.id}
        )
        before_count, before_amount = card.count, card.amount
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=12))
        self._invoice(self.customer, 700.0, due=self.today)
        card.invalidate_recordset()
        self.assertEqual(card.count, before_count + 1)
        self.assertAlmostEqual(card.amount, before_amount + 500.0)
        self._dispute(invoice)
        card.invalidate_recordset()
        self.assertEqual(card.count, before_count, "a disputed invoice leaves the queue")
        action = card.action_open()
        self.assertEqual(action["res_model"], "adv.collection.queue")
        self.assertEqual(self.Queue.search_count(action["domain"]), card.count)

    def test_late_disputes_card(self):
        card = self.env["adv.work.queue"].create(
            {"name": "Late disputes", "code": "disputes_late", "company_id": self.company.id}
        )
        before = card.count
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=12))
        dispute = self._dispute(invoice, amount=200.0)
        dispute.date_open = self.today - timedelta(days=60)
        card.invalidate_recordset()
        self.assertEqual(card.count, before + 1)
        dispute.action_cancel()
        card.invalidate_recordset()
        self.assertEqual(card.count, before)


@tagged("post_install", "-at_install")
class TestNoReminderWhileDisputed(CollectionLevels, AdvCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_levels(cls.env)

    def test_cron_and_buttons_skip_a_disputed_invoice_until_the_dispute_closes(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=4))
        Reminder = self.env["adv.dunning.reminder"]
        Reminder._cron_process_reminders()
        self.assertEqual(invoice.adv_reminder_ids.level_id, self.level_email)

        dispute = self.env["adv.dispute"].create(
            {"partner_id": self.customer.id, "invoice_ids": invoice.ids, "amount_disputed": 200.0}
        )
        with freeze_time(self.today + timedelta(days=20)):
            Reminder._cron_process_reminders()
            invoice.with_user(self.controller).action_adv_process_reminders()
            self.assertFalse(
                self.env["adv.collection.queue"].search([("move_id", "=", invoice.id)]),
                "not in the collection queue",
            )
            self.assertEqual(len(invoice.adv_reminder_ids), 1, "no reminder while the dispute is open")
            with self.assertRaises(ValidationError):
                Reminder.create(
                    {
                        "move_id": invoice.id,
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "level_id": self.level_formal.id,
                    }
                )
            dispute.action_cancel()
            Reminder._cron_process_reminders()
        self.assertEqual(
            invoice.adv_reminder_ids.sorted("id")[-1:].level_id,
            self.level_formal,
            "the dispute closed: reminders resume at the level reached",
        )

    def test_reminder_log_keeps_due_date_and_lateness(self):
        invoice = self._invoice(self.customer, 500.0, due=self.today - timedelta(days=12))
        reminder = self.env["adv.dunning.reminder"].create(
            {
                "move_id": invoice.id,
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "level_id": self.level_email.id,
                "date": self.today - timedelta(days=2),
            }
        )
        self.assertEqual(reminder.date_due, self.today - timedelta(days=12))
        self.assertEqual(reminder.days_late, 10)


@tagged("post_install", "-at_install")
class TestCollectionQueueTour(CollectionLevels, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_levels(cls.env)
        cls.controller = new_test_user(
            cls.env,
            "tour_collector",
            groups="adv_credit_mgmt.group_credit_controller,account.group_account_invoice,"
            "sales_team.group_sale_salesman_all_leads",
        )
        customer = cls.env["res.partner"].create({"name": "Tour Late Payer", "is_company": True})
        today = fields.Date.today()
        cls.invoices = cls.env["account.move"]
        for amount in (111.0, 222.0):
            invoice = cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": today - timedelta(days=40),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Tour pump",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            invoice.invoice_date_due = today - timedelta(days=12)
            invoice.action_post()
            cls.invoices |= invoice

    def test_send_and_skip_from_the_queue(self):
        self.start_tour("/odoo", "adv_collection_queue_tour", login=self.controller.login)
        sent, skipped = self.invoices
        self.assertEqual(sent.adv_reminder_ids.level_id, self.level_call)
        self.assertFalse(sent.adv_reminder_ids.skipped)
        self.assertTrue(skipped.adv_reminder_ids.skipped)
        self.assertEqual(skipped.adv_reminder_ids.skip_reason, "Customer paid by cheque yesterday")

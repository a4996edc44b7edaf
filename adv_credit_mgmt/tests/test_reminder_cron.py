import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.tests import TransactionCase, tagged

from ..models import adv_dunning_reminder
from .common import AdvCreditCommon

LOGGER = "odoo.addons.adv_credit_mgmt.models.adv_dunning_reminder"


@tagged("post_install", "-at_install")
class TestReminderCronFaults(AdvCreditCommon):
    """The reminder job goes on past a failing company or customer, logs it, and resumes later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["adv.dunning.level"].search([]).active = False
        cls.other_company = cls.env["res.company"].create({"name": "ADV Reminder Branch"})
        cls.env.user.company_ids |= cls.other_company
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.other_company, install_demo=False
        )
        cls.level = cls._level(cls.company)
        cls.other_level = cls._level(cls.other_company)
        due = cls.today - timedelta(days=12)
        cls.invoices = cls._invoice(cls.customer, 100.0, due=due) | cls._invoice(
            cls.other_customer, 200.0, due=due
        )
        cls.other_invoices = cls.env["account.move"]
        for amount in (300.0, 400.0):
            cls.other_invoices |= cls._branch_invoice(amount, due)

    @classmethod
    def _level(cls, company):
        return cls.env["adv.dunning.level"].create(
            {"name": "Letter", "delay": 7, "channel": "letter", "stage": "friendly", "company_id": company.id}
        )

    @classmethod
    def _branch_invoice(cls, amount, due):
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.other_company.id]))
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": cls.other_company.id,
                "partner_id": cls.customer.id,
                "invoice_date": cls.today - timedelta(days=60),
                "invoice_line_ids": [
                    Command.create({"name": "Pump", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.invoice_date_due = due
        move.action_post()
        return move

    def _failing_send(self, fails):
        original = self.registry["adv.dunning.reminder"]._adv_send

        def _adv_send(reminders):
            # Called with the reminders of one customer (one savepoint per customer).
            if fails(reminders):
                raise ConnectionRefusedError("The mail server refused the reminder.")
            return original(reminders)

        return patch.object(self.registry["adv.dunning.reminder"], "_adv_send", _adv_send)

    def test_failing_company_does_not_stop_the_others(self):
        Reminder = self.env["adv.dunning.reminder"]
        # The main company (processed first) fails on every invoice; the branch still gets its reminders.
        with (
            self._failing_send(lambda reminder: reminder.company_id == self.company),
            self.assertLogs(LOGGER, "ERROR") as logs,
        ):
            Reminder._cron_process_reminders()
        # One error per failed customer of the main company (its demo invoices are due too), naming it.
        self.assertGreaterEqual(len(logs.records), 2)
        self.assertTrue(
            all("refused the reminder" in line and self.company.name in line for line in logs.output)
        )
        self.assertFalse(self.invoices.adv_reminder_ids, "nothing half-done for the failing company")
        self.assertEqual(self.other_invoices.adv_reminder_ids.level_id, self.other_level)
        self.assertEqual(len(self.other_invoices.adv_reminder_ids), 2)
        # The next run (the fault repaired) resumes with what was not sent, and sends nothing twice.
        Reminder._cron_process_reminders()
        self.assertEqual(len(self.invoices.adv_reminder_ids), 2)
        self.assertEqual(len(self.other_invoices.adv_reminder_ids), 2)

    def test_failing_customer_is_skipped_and_the_batch_goes_on(self):
        Reminder = self.env["adv.dunning.reminder"]
        broken = self.invoices[0]
        with (
            patch.object(adv_dunning_reminder, "REMINDER_BATCH_SIZE", 1),
            self._failing_send(lambda reminders: broken in reminders.move_id),
            self.assertLogs(LOGGER, "ERROR") as logs,
        ):
            Reminder._cron_process_reminders()
        self.assertEqual(len(logs.records), 1)
        self.assertIn(broken.name, logs.output[0])
        self.assertFalse(broken.adv_reminder_ids)
        self.assertFalse(broken.message_ids.filtered(lambda m: "Reminder letter" in (m.body or "")))
        self.assertEqual(len((self.invoices - broken + self.other_invoices).adv_reminder_ids), 3)


@tagged("post_install", "-at_install")
class TestReminderCronConcurrency(TransactionCase):
    """Two cron workers run the reminder job at the same time: one reminder per invoice and level.

    Real concurrent transactions need committed data: the test commits its own level, customer and
    invoices through a separate cursor and removes them at the end. Its level asks for invoices due 9,000
    days ago, so that nothing else in the database is due (the other levels are switched off meanwhile).
    """

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})

    def _setup_data(self):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = self._env(cr)
            company = env.company
            levels = env["adv.dunning.level"].search([])
            levels.active = False
            level = env["adv.dunning.level"].create(
                {"name": "Ancient debts", "delay": 9000, "channel": "letter", "stage": "friendly"}
            )
            customer = env["res.partner"].create({"name": "Concurrent Reminder Customer", "is_company": True})
            today = fields.Date.context_today(level)
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": today - timedelta(days=9010),
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Pump", "quantity": 1, "price_unit": 100.0 + k, "tax_ids": []}
                            )
                        ],
                    }
                    for k in range(7)
                ]
            )
            invoices.invoice_date_due = today - timedelta(days=9005)
            invoices.action_post()
            cr.commit()  # pylint: disable=invalid-commit
            ids = (company.id, levels.ids, level.id, customer.id, invoices.ids)
        self.addCleanup(self._cleanup, *ids)
        return ids

    def _cleanup(self, _company_id, level_ids, level_id, customer_id, invoice_ids):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = self._env(cr)
            env["adv.dunning.reminder"].search([("level_id", "=", level_id)]).unlink()
            invoices = env["account.move"].browse(invoice_ids)
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["adv.dunning.level"].browse(level_id).unlink()
            env["res.partner"].browse(customer_id).unlink()
            env["adv.dunning.level"].browse(level_ids).active = True
            cron = env.ref("adv_credit_mgmt.ir_cron_adv_dunning")
            env["ir.cron.progress"].search([("cron_id", "=", cron.id)]).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _worker(self, barrier, errors):
        """A cron worker running the job as ``ir.cron._run_job`` does: progress record, call, commit,
        called again while it reports work remaining (at most 10 calls). Its cursor and environment are
        made here, in the test's thread: the registry is locked by the test runner."""
        cr = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cr.close)
        cron = self.env.ref("adv_credit_mgmt.ir_cron_adv_dunning")
        env = api.Environment(cr, cron.user_id.id, {"lastcall": cron.lastcall, "cron_id": cron.id})
        cron = cron.with_env(env)

        def run():
            nonlocal cron
            try:
                barrier.wait(timeout=30)
                for _call in range(10):
                    cron, progress = cron._add_progress()
                    cr.commit()  # pylint: disable=invalid-commit
                    cron.env["adv.dunning.reminder"]._cron_process_reminders()
                    cr.commit()  # pylint: disable=invalid-commit
                    if not progress.remaining:
                        break
            except Exception as exc:  # reported by the test
                errors.append(exc)
                cr.rollback()

        return threading.Thread(target=run)

    def test_two_workers_send_one_reminder_per_invoice_and_level(self):
        _company_id, _levels, level_id, _customer_id, invoice_ids = self._setup_data()
        barrier = threading.Barrier(2)
        errors = []
        # Small batches, so that the two workers take turns within the company.
        with patch.object(adv_dunning_reminder, "REMINDER_BATCH_SIZE", 2), self.assertNoLogs(level="ERROR"):
            threads = [self._worker(barrier, errors) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads))
        self.assertFalse(errors)

        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                """
                SELECT m.id, COUNT(DISTINCT r.id), COUNT(DISTINCT msg.id)
                  FROM account_move m
                  LEFT JOIN adv_dunning_reminder r ON r.move_id = m.id AND r.level_id = %s
                  LEFT JOIN mail_message msg ON msg.model = 'account.move' AND msg.res_id = m.id
                                            AND msg.body::text LIKE '%%Ancient debts%%'
                 WHERE m.id = ANY(%s)
                 GROUP BY m.id
                """,
                [level_id, invoice_ids],
            )
            counts = cr.fetchall()
        self.assertEqual(len(counts), 7)
        self.assertEqual({(reminders, letters) for _id, reminders, letters in counts}, {(1, 1)})

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AdvBillingCommon

PERIOD_MODULE = "odoo.addons.adv_billing_close.models.adv_billing_period"


@tagged("post_install", "-at_install")
class TestPeriodControls(AdvBillingCommon):
    """A period's state moves only by its buttons; its calendar and the settings refuse bad input."""

    def _close(self):
        self.period.with_user(self.adv_user).action_start_invoicing()
        self.period.with_user(self.adv_manager).action_close()
        self.assertEqual(self.period.state, "closed")

    def test_adv_user_cannot_reopen_a_closed_period(self):
        self._close()
        for context in ({}, {"adv_period_closing": True}):
            for vals in ({"state": "invoicing"}, {"closed_on": False}, {"fae_total": 0.0}):
                with self.subTest(vals=vals, context=context):
                    with self.assertRaises(AccessError):
                        self.period.with_user(self.adv_user).with_context(**context).write(vals)
            with self.assertRaises(AccessError):
                self.period.with_user(self.adv_user).with_context(**context).action_reopen()
            with self.assertRaises(UserError):
                self.period.with_user(self.adv_user).with_context(**context).write(
                    {"invoicing_deadline": self.period.date_end}
                )
        self.assertEqual(self.period.state, "closed")
        # Not even an ADV Manager writes the state: they use the button, which leaves a trace.
        with self.assertRaises(AccessError):
            self.period.with_user(self.adv_manager).write({"state": "invoicing"})
        self.period.with_user(self.adv_manager).action_reopen()
        self.assertEqual(self.period.state, "invoicing")
        self.assertFalse(self.period.closed_on)
        self.assertIn("reopened by Marc ADV Manager", str(self.period.message_ids[:1].body))

    def test_state_buttons_need_their_group(self):
        with self.assertRaises(AccessError):
            self.period.with_user(self.emp_user).action_start_collecting()
        with self.assertRaises(AccessError):
            self.period.with_user(self.emp_user).action_generate_submissions()
        with self.assertRaises(AccessError):
            self.period.with_user(self.emp_user).action_announce()
        with self.assertRaises(AccessError):
            self.period.with_user(self.adv_user).write({"state": "collecting"})
        self.assertEqual(self.period.state, "open")
        self.period.with_user(self.adv_user).action_start_collecting()
        self.assertEqual(self.period.state, "collecting")
        self.period.with_user(self.adv_user).action_start_invoicing()
        self.assertEqual(self.period.state, "invoicing")
        with self.assertRaisesRegex(AccessError, "ADV Manager"):
            self.period.with_user(self.adv_user).action_close()

    def test_period_created_closed_refused(self):
        Period = self.env["adv.billing.period"].with_user(self.adv_user)
        start = self.period.date_start + relativedelta(months=-1)
        values = Period._period_values(self.company, start)
        with self.assertRaises(AccessError):
            Period.create(dict(values, state="closed"))
        with self.assertRaises(AccessError):
            Period.create(dict(values, fae_total=1000.0))
        self.assertEqual(Period.create(dict(values, state="open")).state, "open")

    def test_period_by_hand_gets_its_deadlines(self):
        start = self.period.date_start + relativedelta(months=-2)
        expected = self.env["adv.billing.period"]._period_values(self.company, start)
        period_form = Form(self.env["adv.billing.period"].with_user(self.adv_user))
        period_form.name = "By hand"
        period_form.date_start = start
        period_form.date_end = expected["date_end"]
        period = period_form.save()
        for fname in ("submission_deadline", "validation_deadline", "invoicing_deadline", "close_date"):
            self.assertEqual(period[fname], expected[fname], fname)
        # Over the API, without any deadline, too.
        rpc_start = start + relativedelta(months=-6)
        created = (
            self.env["adv.billing.period"]
            .with_user(self.adv_user)
            .create(
                {
                    "name": "API",
                    "date_start": rpc_start,
                    "date_end": rpc_start + relativedelta(months=1, days=-1),
                }
            )
        )
        self.assertTrue(created.submission_deadline and created.close_date)
        # assertRaises (not ...Regex) rolls back what the refused write left in the cache.
        with self.assertRaises(ValidationError) as refused:
            period.with_user(self.adv_user).write({"submission_deadline": False})
        self.assertIn("Timesheet Submission Deadline", str(refused.exception))
        self.env["adv.billing.period"]._cron_advance_periods()
        self.assertEqual(period.state, "invoicing", "the calendar of a hand-made period runs")

    def test_cron_skips_a_period_without_deadlines(self):
        """A period left without deadlines (made before they were computed) no longer stops the job."""
        start = self.period.date_start + relativedelta(months=-1)
        broken = self.env["adv.billing.period"].create(
            self.env["adv.billing.period"]._period_values(self.company, start)
        )
        self.env.cr.execute(
            "UPDATE adv_billing_period SET submission_deadline = NULL, validation_deadline = NULL "
            "WHERE id = %s",
            [broken.id],
        )
        broken.invalidate_recordset()
        with self.assertLogs(PERIOD_MODULE, "WARNING") as logs:
            self.env["adv.billing.period"]._cron_advance_periods()
        self.assertIn(broken.name, logs.output[0])
        self.assertEqual(broken.state, "open", "left to the ADV team")
        self.assertEqual(self.period.state, "invoicing", "the other periods move on")

    def test_negative_billing_settings_refused(self):
        for fname in ("adv_reminder_days_before", "adv_reminder_escalation_days", "adv_close_workday"):
            with self.subTest(field=fname):
                settings = Form(self.env["res.config.settings"])
                settings.adv_timesheet_collection = True
                setattr(settings, fname, -2)
                with self.assertRaises(ValidationError) as refused:
                    settings.save().execute()
                self.assertIn("cannot be negative", str(refused.exception))
        with self.assertRaises(ValidationError) as refused:
            self.company.write({"adv_unbilled_escalation_days": -1})
        self.assertIn("Days per Escalation Level", str(refused.exception))
        settings = Form(self.env["res.config.settings"])
        settings.adv_submission_workday = 0
        settings.save().execute()
        self.assertEqual(self.company.adv_submission_workday, 0, "0 is the last working day of the period")

    def test_service_end_before_start_refused(self):
        order = self._make_order(fixed=True)
        fee_line = order.order_line.filtered(lambda sol: sol.product_id == self.product_fixed)
        start = self.period.date_start
        invoice_form = Form(
            self.env["account.move"].with_user(self.adv_user).with_context(default_move_type="out_invoice")
        )
        invoice_form.partner_id = self.customer
        invoice_form.invoice_date = self.in_period
        with invoice_form.invoice_line_ids.new() as line:
            line.product_id = self.product_fixed
            line.price_unit = 1200
        invoice = invoice_form.save()
        with self.assertRaises(ValidationError) as refused:
            invoice.invoice_line_ids.write(
                {"adv_service_date_start": start, "adv_service_date_end": start - relativedelta(days=1)}
            )
        self.assertIn("before it starts", str(refused.exception))
        with self.assertRaises(ValidationError):
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": self.in_period,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_fixed.id,
                                "price_unit": 1200,
                                "sale_line_ids": [Command.set(fee_line.ids)],
                                "adv_service_date_start": self.after_period + relativedelta(days=10),
                                "adv_service_date_end": self.after_period,
                            }
                        )
                    ],
                }
            )

    def test_pca_survives_a_line_saved_before_the_check(self):
        order = self._make_order(fixed=True)
        fee_line = order.order_line.filtered(lambda sol: sol.product_id == self.product_fixed)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": self.in_period,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_fixed.id,
                            "quantity": 1,
                            "price_unit": 1200,
                            "tax_ids": [Command.clear()],
                            "sale_line_ids": [Command.set(fee_line.ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        # End the day before the start: zero days of service, the case that divided by zero.
        self.env.cr.execute(
            "UPDATE account_move_line SET adv_service_date_start = %s, adv_service_date_end = %s "
            "WHERE id = %s",
            [self.after_period + relativedelta(days=1), self.after_period, invoice.invoice_line_ids.id],
        )
        self.env.invalidate_all()
        self._close()
        row = self.period.accrual_ids.filtered(lambda a: a.order_id == order)
        self.assertEqual(row.pca_amount, 1200, "a service after the period end is all deferred")

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.adv_credit_mgmt.tools.receivables import open_receivables_sql

from .common import FEB, AdvKpiCommon


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15")
class TestHealthCards(AdvKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Two invoices overdue (due in March), one not due yet, one credit note in March.
        cls.late = cls._invoice(cls.customer_a, 3100.0, date(2024, 3, 4), due=date(2024, 3, 10))
        cls.late |= cls._invoice(cls.customer_a, 900.0, FEB, due=date(2024, 3, 1))
        cls._invoice(cls.customer_b, 100.0, date(2024, 3, 5), due=date(2024, 4, 30))
        cls.refund = cls._invoice(
            cls.customer_b, 100.0, date(2024, 3, 6), move_type="out_refund", due=date(2024, 3, 6)
        )
        cls.env["adv.dunning.level"].create(
            {"name": "Call", "company_id": cls.company.id, "delay": 7, "channel": "phone"}
        )
        cls.Signal = cls.env["adv.kpi.signal"]
        cls.Signal._refresh(cls.company)

    def _card(self, code):
        return (
            self.env["adv.work.queue"]
            .create({"name": code, "code": code, "company_id": self.company.id})
            .with_user(self.adv_user)
        )

    def _signal(self, code):
        return self.Signal.search([("company_id", "=", self.company.id), ("code", "=", code)])

    def test_health_cards_show_the_signal_and_count_its_records(self):
        reminders = self._card("health_late_reminders")
        signal = self._signal("late_reminders")
        self.assertEqual(reminders.count, int(signal.value), "the records behind the signal, one for one")
        self.assertEqual(reminders.state, signal.colour)
        self.assertEqual(
            reminders.figure_label, f"{int(signal.value)} invoices (red from {int(signal.red_threshold)})"
        )
        action = reminders.action_open()
        queue = self.env["adv.collection.queue"].with_user(self.adv_user).search(action["domain"])
        self.assertEqual(queue.move_id, self.late)

        # Customer A owes 4,000 overdue; customer B's open credit note cancels its invoice: nothing.
        dso = self._card("health_dso")
        self.assertEqual(dso.count, 1)
        self.assertAlmostEqual(dso.amount, 4000.0)
        action = dso.action_open()
        self.assertEqual(self.env["adv.credit.exposure"].search(action["domain"]).partner_id, self.customer_a)

        credit_notes = self._card("health_credit_notes")
        self.assertEqual(credit_notes.count, 1)
        self.assertEqual(self.env["account.move"].search(credit_notes.action_open()["domain"]), self.refund)

    def test_red_signal_colours_its_card(self):
        self.company.adv_kpi_late_reminder_red = 2
        self.Signal._refresh(self.company)
        self.assertEqual(self._signal("late_reminders").colour, "red")
        self.assertEqual(self._card("health_late_reminders").state, "red")

    def test_card_before_any_signal(self):
        self.Signal.search([("company_id", "=", self.company.id)]).unlink()
        card = self._card("health_dso")
        self.assertEqual(card.state, "none")
        self.assertEqual(card.figure_label, "not computed yet")
        self.assertEqual(card.count, 1, "the overdue customers are listed even before the nightly signal")

    def test_dso_card_nets_open_credit_notes_as_its_list_does(self):
        """The DSO card counts what the list it opens shows, by the buckets every screen uses: an open
        credit note of customer A reduces its overdue debt, it is not ignored."""
        self._invoice(self.customer_a, 500.0, FEB, move_type="out_refund", due=date(2024, 2, 20))
        card = self._card("health_dso")
        count, amount = card.count, card.amount
        self.assertEqual((count, amount), (1, 3500.0))
        # Counting flushed the credit note to the database, whose triggers rewrote the exposure table
        # behind the ORM's back: read it afresh, as the list does in its own request.
        self.env["adv.credit.exposure"].invalidate_model()
        action = card.action_open()
        self.assertEqual(action["res_model"], "adv.credit.exposure")
        rows = self.env["adv.credit.exposure"].with_user(self.adv_user).search(action["domain"])
        self.assertEqual(rows.partner_id, self.customer_a)
        self.assertEqual(count, len(rows))
        self.assertAlmostEqual(amount, sum(rows.mapped("amount_overdue")), msg="the list's total")
        self.assertAlmostEqual(amount, self.customer_a.with_company(self.company).adv_exposure_overdue)
        self.env.cr.execute(
            SQL(
                "SELECT SUM(amount_overdue) FROM (%s) r WHERE r.partner_id IS NOT NULL",
                open_receivables_sql([self.company.id]),
            )
        )
        self.assertAlmostEqual(self.env.cr.fetchone()[0], amount, msg="the one definition")

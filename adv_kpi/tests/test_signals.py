import io
import json
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import file_open

from .common import FEB, JAN, MAR, AdvKpiCommon

DEC = date(2023, 12, 1)


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15")
class TestSignals(AdvKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        periods = cls.env["adv.billing.period"].create(
            [
                {"name": "Nov 2023", "company_id": cls.company.id, "date_start": date(2023, 11, 1),
                 "date_end": date(2023, 11, 30)},
                {"name": "Feb 2024", "company_id": cls.company.id, "date_start": FEB,
                 "date_end": date(2024, 2, 29)},
            ]
        )  # fmt: skip
        # December: invoiced 1 day after its period, still open; March: 4 days after. At March end
        # 1,000 + 3,100 + 100 - 100 are open for 3,100 of credit sales in 31 days: DSO 41 days.
        cls._invoice(cls.customer_a, 1000.0, date(2023, 12, 1), adv_billing_period_id=periods[0].id)
        cls.march = cls._invoice(
            cls.customer_a,
            3100.0,
            date(2024, 3, 4),
            due=date(2024, 3, 10),
            adv_billing_period_id=periods[1].id,
        )
        cls._invoice(cls.customer_b, 100.0, date(2024, 3, 5), due=date(2024, 4, 30))
        cls._invoice(cls.customer_b, 100.0, date(2024, 3, 6), move_type="out_refund", due=date(2024, 3, 6))
        cls.Snapshot._compute_months(cls.company, DEC, MAR)
        # adv_credit_mgmt's dunning: a reminder is due 7 days after the due date.
        cls.env["adv.dunning.level"].create(
            {"name": "Call", "company_id": cls.company.id, "delay": 7, "channel": "phone"}
        )
        cls.Signal = cls.env["adv.kpi.signal"]

    def _signal(self, code):
        return self.Signal.search([("company_id", "=", self.company.id), ("code", "=", code)])

    def test_values(self):
        self.Signal._refresh(self.company)
        self.assertAlmostEqual(self._signal("billing_delay").value, 4.0 - 1.0)
        self.assertAlmostEqual(self._signal("dso").value, 41.0, places=1)
        # December's and March's invoices are overdue by more than 7 days and got no reminder.
        late = self._signal("late_reminders")
        self.assertEqual((late.value, late.count_value, late.is_count, late.month), (2.0, 2, True, False))
        # March: 1 credit note for 2 invoices (50 %), nothing before.
        self.assertAlmostEqual(self._signal("credit_notes").value, 50.0)
        self.assertEqual(self._signal("team_load").value, 0.0)

    def test_dso_threshold_colours_and_activity(self):
        dso = 41.0
        for threshold, colour in ((60.0, "green"), (dso / 0.85, "amber"), (dso, "red")):
            self.company.adv_kpi_dso_red = threshold
            self.Signal._refresh(self.company)
            self.assertEqual(self._signal("dso").colour, colour, threshold)
        activities = self._signal("dso").activity_ids
        self.assertIn(self.adv_manager, activities.user_id, "a red signal gives the ADV Managers an activity")
        self.Signal._refresh(self.company)
        self.assertEqual(self._signal("dso").activity_ids, activities, "no new activity while it stays red")

    def test_each_signal_turns_red_at_threshold(self):
        self.company.write(
            {
                "adv_kpi_delay_rise_red": 3.0,
                "adv_kpi_late_reminder_red": 2,
                "adv_kpi_credit_rise_red": 50.0,
                "adv_kpi_load_red": 2,
            }
        )
        for _n in range(2):
            self.customer_a.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=date(2024, 4, 1), user_id=self.adv_user.id
            )
        self.Signal._refresh(self.company)
        for code in ("billing_delay", "late_reminders", "credit_notes", "team_load"):
            self.assertEqual(self._signal(code).colour, "red", code)
        self.assertGreaterEqual(self.company.adv_kpi_red_count, 2)
        # Just under the thresholds: not red any more.
        self.company.write(
            {
                "adv_kpi_delay_rise_red": 3.1,
                "adv_kpi_late_reminder_red": 3,
                "adv_kpi_credit_rise_red": 51.0,
                "adv_kpi_load_red": 3,
            }
        )
        self.Signal._refresh(self.company)
        for code in ("billing_delay", "late_reminders", "credit_notes", "team_load"):
            self.assertNotEqual(self._signal(code).colour, "red", code)

    def test_reminder_sent_clears_late_reminders(self):
        self.env["adv.dunning.reminder"]._adv_process_due(self.march)
        self.Signal._refresh(self.company)
        self.assertEqual(self._signal("late_reminders").value, 1.0)

    def test_health_board_action(self):
        action = self.company._adv_kpi_action_health_board()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.company", self.company.id))
        self.assertTrue(self.Snapshot.search([("company_id", "=", self.company.id), ("month", "=", JAN)]))

    def test_health_dashboard_pivot_export_read_the_same_rows(self):
        """DSO, credit-note and dispute rates: Health shows the values of the company's row of the last
        complete month, which the pivot averages, the export writes and the dashboard reads."""
        self.Signal._refresh(self.company)
        march = self._row(MAR)
        dso, incidents = self._signal("dso"), self._signal("credit_notes")
        self.assertEqual((dso.month, incidents.month), (MAR, MAR))
        self.assertIn("2024", dso.month_label)
        self.assertAlmostEqual(dso.value, march.dso_simple, places=1)
        # December (0 %) is the only month before March with invoices: the baseline is 0.
        self.assertAlmostEqual(incidents.value, march.credit_note_rate + march.dispute_rate, places=1)
        [[pivot_dso, pivot_credit, pivot_dispute]] = self.Snapshot._read_group(
            [("company_id", "=", self.company.id), ("dimension", "=", "company"), ("month", "=", MAR)],
            aggregates=["dso_simple:avg", "credit_note_rate:avg", "dispute_rate:avg"],
        )
        self.assertEqual(
            (pivot_dso, pivot_credit, pivot_dispute),
            (march.dso_simple, march.credit_note_rate, march.dispute_rate),
        )
        wizard = self.env["adv.kpi.export.wizard"].create(
            {"date_from": DEC, "date_to": MAR, "company_id": self.company.id}
        )
        wizard.action_export()
        summary = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw))["Summary"]
        header = [cell.value for cell in summary[3]]
        row = next(r for r in summary.iter_rows(min_row=4) if r[0].value.date() == MAR)
        for label, value in (
            ("DSO (days)", march.dso_simple),
            ("Credit-note Rate (%)", march.credit_note_rate),
            ("Dispute Rate (%)", march.dispute_rate),
        ):
            self.assertAlmostEqual(row[header.index(label)].value, value, msg=label)
        self.assertEqual(row[header.index("As of")].value.date(), date(2024, 3, 31))
        # The dashboard's figures and the month it names come from the same company rows, filtered
        # by the same period (last month by default, the month Health reads).
        with file_open("adv_kpi/data/files/adv_kpi_dashboard.json") as file:
            dashboard = json.load(file)
        [period] = dashboard["globalFilters"]
        self.assertEqual(period["defaultValue"], "last_month")
        pivot, month_list = dashboard["pivots"]["1"], dashboard["lists"]["1"]
        self.assertEqual(pivot["domain"], month_list["domain"])
        self.assertEqual(pivot["fieldMatching"][period["id"]], month_list["fieldMatching"][period["id"]])
        cells = dashboard["sheets"][0]["cells"]
        self.assertEqual(cells["B3"]["content"], '=ODOO.LIST(1,1,"month")')
        self.assertEqual(cells["B4"]["content"], '=PIVOT.VALUE(1,"dso_simple")')

    def test_dso_of_a_month_without_credit_sales_is_not_meaningful(self):
        self.company.adv_kpi_dso_red = 1.0
        self._invoice(self.customer_b, 5000.0, date(2024, 3, 20), move_type="out_refund")
        self.Snapshot._compute_month(self.company, MAR)
        self.assertFalse(self._row(MAR).dso_meaningful)
        self.Signal._refresh(self.company)
        dso = self._signal("dso")
        self.assertEqual((dso.has_value, dso.colour), (False, "green"))
        self.assertTrue(self._signal("credit_notes").has_value, "March still has invoices")

    def test_french_reader_reads_names_units_and_numbers_in_french(self):
        """Made by the cron in English, a signal reads in French for a French manager: its name, unit and
        numbers (counts whole, decimals with a comma), on the Health card and in the red activity."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["adv_kpi"], ["fr_FR"], overwrite=True)
        self.adv_manager.lang = "fr_FR"
        self.company.adv_kpi_late_reminder_red = 2.0
        self.Signal.with_context(lang="en_US")._refresh(self.company)
        late = self._signal("late_reminders").with_user(self.adv_manager).with_context(lang="fr_FR")
        self.assertEqual((late.name, late.unit), ("Relances de paiement non faites à temps", "factures"))
        self.assertIn(
            "Relances de paiement non faites à temps est à 2 factures (rouge à partir de 2).",
            str(late.activity_ids.note),
        )
        cards = self.env["adv.work.queue"].with_user(self.adv_manager).with_context(lang="fr_FR").search([])
        card = cards.filtered(lambda c: c.code == "health_late_reminders")
        self.assertEqual(card.figure_label, "2 factures (rouge à partir de 2)")
        dso = self._signal("dso").with_user(self.adv_manager).with_context(lang="fr_FR")
        self.assertEqual(dso._format_value(), "41,0")

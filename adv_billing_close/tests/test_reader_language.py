from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged

from .common import AdvBillingCommon


@tagged("post_install", "-at_install")
class TestBillingReaderLanguage(AdvBillingCommon):
    """Activities, notes and mails of the timesheet collection are in their reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["adv_billing_close"], ["fr_FR"], overwrite=True)
        cls.company.adv_timesheet_collection = True
        cls.period.action_start_collecting()
        # A French manager and consultant, an English one.
        (cls.boss_user | cls.emp_user).lang = "fr_FR"
        cls.emp2_user.lang = "en_US"
        Submission = cls.env["adv.timesheet.submission"]
        cls.french = Submission.search(
            [("period_id", "=", cls.period.id), ("employee_id", "=", cls.employee.id)]
        )
        cls.english = Submission.search(
            [("period_id", "=", cls.period.id), ("employee_id", "=", cls.employee2.id)]
        )

    def _to(self, submissions, user):
        return submissions.message_ids.filtered(lambda m: user.partner_id in m.partner_ids)

    def test_manager_activity_and_reminder_in_french(self):
        # Submitted by an English-speaking consultant: the French manager's activity is in French.
        self.english.with_user(self.emp2_user).with_context(lang="en_US").action_submit()
        activity = self.english.activity_ids.filtered(lambda a: a.user_id == self.boss_user)
        self.assertEqual(activity.summary, f"Valider le CRA de {self.employee2.name}")
        # The job reminding the manager runs in English: the manager reads French.
        with freeze_time(self.period.validation_deadline + relativedelta(days=1)):
            self.env["adv.timesheet.submission"].with_context(lang="en_US")._cron_send_reminders()
        reminder = self._to(self.english, self.boss_user)
        self.assertIn("CRA en attente de votre validation", str(reminder.body))

    def test_reminder_mails_in_each_employees_language(self):
        day = self.period.submission_deadline + relativedelta(days=1)
        (self.french | self.english).with_context(lang="en_US")._send_reminders(day)
        self.assertIn("Relance : soumettez votre CRA", self._to(self.french, self.emp_user).subject)
        self.assertIn("Reminder: submit your timesheet", self._to(self.english, self.emp2_user).subject)

    def test_sent_back_note_in_the_employees_language(self):
        self.french.with_user(self.emp_user).action_submit()
        self.french.with_user(self.adv_manager).with_context(lang="en_US")._send_back("Wrong task")
        self.assertIn("CRA renvoyé : Wrong task", str(self._to(self.french, self.emp_user)[:1].body))

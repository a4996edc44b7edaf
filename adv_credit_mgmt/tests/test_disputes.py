from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AdvCreditCommon


@tagged("post_install", "-at_install")
class TestDisputes(AdvCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 1000.0, due=cls.today + timedelta(days=30))

    def _dispute(self, **vals):
        values = {"partner_id": self.contact.id, "invoice_ids": self.invoice.ids, "amount_disputed": 200.0}
        values.update(vals)
        return self.env["adv.dispute"].with_user(self.controller).create(values)

    def test_sla_deadline_and_commercial_partner(self):
        self.company.adv_dispute_sla_billing = 7
        dispute = self._dispute(dispute_type="billing")
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertEqual(dispute.deadline, self.today + timedelta(days=7))
        self.assertTrue(dispute.name.startswith("DISP/"))
        self.assertEqual(self.customer.adv_open_dispute_count, 1)

    def test_bad_amounts_refused(self):
        with self.assertRaises(ValidationError):
            self._dispute(amount_disputed=0.0)
        with self.assertRaises(ValidationError):
            self._dispute(amount_disputed=5000.0)
        with self.assertRaises(ValidationError):
            self._dispute(partner_id=self.other_customer.id)

    def test_escalation_of_late_disputes(self):
        dispute = self._dispute(dispute_type="billing")
        self.assertNotIn(dispute, self.env["adv.dispute"]._cron_escalate())
        with freeze_time(self.today + timedelta(days=60)):
            escalated = self.env["adv.dispute"]._cron_escalate()
            self.assertIn(dispute, escalated)
            self.assertTrue(dispute.escalated)
            self.assertTrue(dispute.is_late)
            self.assertTrue(dispute.activity_ids.user_id.has_group("adv_credit_mgmt.group_credit_manager"))
            self.assertNotIn(dispute, self.env["adv.dispute"]._cron_escalate(), "escalated once")

    def test_escalation_in_the_managers_language(self):
        """The cron writes in English; the French Credit Manager reads the activity in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        dispute = self._dispute(dispute_type="billing")
        manager = dispute._adv_credit_manager_user()
        manager.lang = "fr_FR"
        with freeze_time(self.today + timedelta(days=60)):
            self.env["adv.dispute"].with_context(lang="en_US")._cron_escalate()
        self.assertEqual(dispute.activity_ids.user_id, manager)
        self.assertEqual(dispute.activity_ids.summary, "Litige au-delà de son délai convenu")

    def test_reason_shows_its_label_and_proposes_its_type(self):
        reason = self.env.ref("adv_credit_mgmt.dispute_reason_late_delivery")
        with Form(self.env["adv.dispute"].with_user(self.controller)) as form:
            form.partner_id = self.customer
            form.invoice_ids.add(self.invoice)
            form.amount_disputed = 100.0
            form.reason_id = reason
            self.assertEqual(form.dispute_type, "delivery")
        dispute = form.record
        self.assertEqual(dispute.reason_id.display_name, "[DLV-LATE] Late delivery")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["adv_credit_mgmt"], ["fr_FR"], overwrite=True)
        self.assertEqual(reason.with_context(lang="fr_FR").name, "Livraison en retard")
        found = (
            self.env["adv.dispute"].with_user(self.controller).search([("reason_id", "ilike", "DLV-LATE")])
        )
        self.assertIn(dispute, found)
        self.assertEqual(found.reason_id, reason)

    def test_only_the_credit_manager_edits_reasons(self):
        Reason = self.env["adv.dispute.reason"]
        with self.assertRaises(AccessError):
            Reason.with_user(self.controller).create({"code": "OTHER", "name": "Other"})
        reason = Reason.with_user(self.manager).create({"code": "OTHER", "name": "Other"})
        with self.assertRaises(AccessError):
            reason.with_user(self.controller).name = "Renamed"

    def test_resolution_with_credit_note(self):
        dispute = self._dispute()
        with self.assertRaises(UserError):
            dispute.action_resolve()
        dispute.decision = "credit_note"
        dispute.action_resolve()
        self.assertEqual(dispute.state, "resolved")
        refund = dispute.credit_note_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.amount_total, 200.0)
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        self.assertFalse(self.invoice.adv_disputed)
        # The credit note leads back to the dispute it settled.
        self.assertEqual(refund.adv_dispute_count, 1)
        action = refund.with_user(self.controller).action_adv_view_disputes()
        self.assertEqual((action["res_model"], action["res_id"]), ("adv.dispute", dispute.id))
        with self.assertRaises(UserError):
            dispute.action_cancel()

    def test_date_resolved_set_and_cleared(self):
        dispute = self._dispute(decision="rejected").with_context(tracking_disable=False)
        self.assertFalse(dispute.date_resolved)
        self.env.cr.precommit.run()  # ends the creation's "no tracking" window
        resolve_day = self.today + timedelta(days=3)
        with freeze_time(resolve_day):
            dispute.action_resolve()
        self.assertEqual(dispute.date_resolved, resolve_day)
        self.assertFalse(dispute.copy().date_resolved, "a copy is not resolved")
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit time
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", "adv.dispute"), ("mail_message_id.res_id", "=", dispute.id)]
        )
        tracked = tracked.filtered(lambda t: t.field_id.name == "date_resolved")
        self.assertTrue(tracked, "the resolution date is tracked in chatter")
        self.assertEqual(
            self.env["adv.dispute"].search_count(
                [("id", "=", dispute.id), ("date_resolved", "=", resolve_day)]
            ),
            1,
            "stored and searchable",
        )
        with self.assertRaises(AccessError):
            dispute.with_user(self.controller).state = "investigating"
        dispute.with_user(self.controller).action_reopen()
        self.assertEqual(dispute.state, "investigating")
        self.assertFalse(dispute.date_resolved)

    def test_committee_session(self):
        due = self._dispute(dispute_type="billing")
        sent = self._dispute(amount_disputed=50.0)
        sent.action_send_to_committee()
        later = self._dispute(amount_disputed=10.0, dispute_type="commercial")
        session = (
            self.env["adv.dispute.committee"]
            .with_user(self.controller)
            .create({"date": self.today + timedelta(days=15)})
        )
        session.action_load_disputes()
        mine = session.dispute_ids.filtered(lambda d: d.partner_id == self.customer)
        self.assertEqual(mine, due + sent)
        self.assertNotIn(later, session.dispute_ids)
        (session.dispute_ids - mine).committee_id = False  # demo disputes stay out of this session
        agenda = (
            self.env["ir.actions.report"]
            ._render_qweb_html("adv_credit_mgmt.report_adv_committee_agenda", session.ids)[0]
            .decode()
        )
        self.assertIn(due.name, agenda)
        with self.assertRaises(UserError):
            session.action_done()
        due.decision = "rejected"
        sent.decision = "gesture"
        session.action_done()
        self.assertEqual(set(session.dispute_ids.mapped("state")), {"resolved"})

from datetime import date, timedelta

from odoo.tests import Form, tagged

from ..tools import parse_cdar
from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceReactions(AdvEinvoiceCommon):
    def test_rejected_flags_and_tells_the_agent(self):
        (log,) = self._import("cdar_213_rejected.xml")
        self.assertEqual(log.state, "done")
        self.assertTrue(self.inv4.adv_einvoice_rejected)
        activity = self.inv4.activity_ids
        self.assertEqual(activity.user_id, self.adv_user)
        self.assertIn("SIREN du client absent (BT-47)", str(activity.note))
        self.assertIn("REJ_SEMAN", str(activity.note))
        # Only a new deposit may follow a rejection; it clears the flag.
        log = self.inv4._adv_einvoice_receive_status(
            {"message_id": "API-213-1", "code": "205", "date": "2026-09-02 10:00:00"}
        )
        self.assertEqual(log.state, "error")
        log = self.inv4._adv_einvoice_receive_status(
            {"message_id": "API-213-2", "code": "200", "date": "2026-09-02 10:00:00"}
        )
        self.assertEqual(log.state, "done")
        self.assertFalse(self.inv4.adv_einvoice_rejected)

    def test_rejected_reaction_switched_off(self):
        self.company.adv_einvoice_react_rejected = False
        self._import("cdar_213_rejected.xml")
        self.assertTrue(self.inv4.adv_einvoice_rejected)
        self.assertFalse(self.inv4.activity_ids)

    def test_refused_opens_a_dispute_with_the_sla(self):
        self.assertFalse(self.inv3.adv_disputed)
        self._import("cdar_210_refused.xml")
        dispute = self.inv3.adv_dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertEqual(dispute.amount_disputed, 300.0)
        self.assertEqual(dispute.date_open, date(2026, 9, 8))
        self.assertEqual(
            dispute.deadline, date(2026, 9, 8) + timedelta(days=self.company.adv_dispute_sla_commercial)
        )
        self.assertIn("Bon de commande absent ou erroné", str(dispute.description))
        self.assertEqual(dispute.user_id, self.adv_user)
        # The dunning run leaves disputed invoices out (adv_credit_mgmt filters on this flag).
        self.assertTrue(self.inv3.adv_disputed)

    def test_in_dispute_then_refused_keeps_one_dispute(self):
        self._import("cdar_207_in_dispute.xml")
        dispute = self.inv2.adv_dispute_ids
        self.assertEqual(dispute.amount_disputed, 250.0)
        self.inv2._adv_einvoice_receive_status(
            {
                "message_id": "API-210",
                "code": "210",
                "date": "2026-09-09 10:00:00",
                "reason_text": "Still wrong",
            }
        )
        self.assertEqual(self.inv2.adv_dispute_ids, dispute)
        messages = self.env["mail.message"].search(
            [("model", "=", "adv.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertTrue(any("Still wrong" in message.body for message in messages))

    def test_dispute_reaction_switched_off(self):
        self.company.adv_einvoice_react_dispute = False
        self._import("cdar_210_refused.xml")
        self.assertEqual(self.inv3.adv_einvoice_status_id, self.code["210"])
        self.assertFalse(self.inv3.adv_dispute_ids)

    def test_rejection_read_in_the_agents_language(self):
        """An English user imports; the French ADV agent reads the activity in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["adv_einvoicing"], ["fr_FR"], overwrite=True)
        self.adv_user.lang = "fr_FR"
        self.env.user.lang = "en_US"
        self.env["adv.einvoice.status"].with_context(lang="en_US")._receive(
            parse_cdar(self._sample("cdar_213_rejected.xml"))
        )
        activity = self.inv4.activity_ids
        self.assertEqual(activity.user_id, self.adv_user)
        self.assertEqual(
            activity.summary, "Facture électronique rejetée par la plateforme : corriger et réémettre"
        )
        self.assertIn("SIREN du client absent (BT-47)", str(activity.note))
        self.assertEqual(self.code["213"].with_context(lang="fr_FR").name, "Rejetée")

    def test_suspended_asks_the_agent(self):
        log = self.inv1._adv_einvoice_receive_status(
            {
                "message_id": "API-208",
                "code": "208",
                "date": "2026-09-03 10:00:00",
                "reason_code": "DOC",
                "reason_text": "Procès-verbal de réception manquant",
            }
        )
        self.assertEqual(log.state, "done")
        activity = self.inv1.activity_ids
        self.assertEqual(activity.user_id, self.adv_user)
        self.assertIn("Procès-verbal de réception manquant", str(activity.note))
        self.company.adv_einvoice_react_suspended = False
        self.inv2._adv_einvoice_receive_status({"message_id": "API-208-2", "code": "208"})
        self.assertFalse(self.inv2.activity_ids)

    def test_completed_asks_the_agent_like_suspended(self):
        log = self.inv1._adv_einvoice_receive_status(
            {"message_id": "API-209", "code": "209", "reason_text": "Procès-verbal envoyé"}
        )
        self.assertEqual(log.state, "done")
        activity = self.inv1.activity_ids
        self.assertEqual(activity.user_id, self.adv_user)
        self.assertEqual(activity.summary, "E-invoice completed: check the buyer has what they asked for")
        self.assertIn("Procès-verbal envoyé", str(activity.note))
        self.company.adv_einvoice_react_suspended = False
        self.inv2._adv_einvoice_receive_status({"message_id": "API-209-2", "code": "209"})
        self.assertFalse(self.inv2.activity_ids)

    def test_correct_and_reissue_a_rejected_invoice(self):
        self._import("cdar_213_rejected.xml")
        action = self.inv4.with_user(self.adv_user).action_adv_einvoice_correct()
        self.assertEqual(action["res_model"], "account.move.reversal")
        reversal = Form(
            self.env["account.move.reversal"].with_user(self.adv_user).with_context(**action["context"])
        )
        self.assertIn("SIREN du client absent (BT-47)", reversal.reason)
        result = reversal.save().modify_moves()
        corrected = self.env["account.move"].browse(result["res_id"])
        self.assertEqual((corrected.state, corrected.move_type), ("draft", "out_invoice"))
        self.assertEqual(corrected.amount_total, self.inv4.amount_total)
        self.assertFalse(corrected.adv_einvoice_status_ids, "the corrected invoice starts its own lifecycle")
        self.assertEqual(self.inv4.payment_state, "reversed")

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestReaderLanguage(AdvOrderControlCommon):
    """What the suite writes for someone else is in the reader's language, whoever runs the code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["adv_order_control"], ["fr_FR"], overwrite=True)
        cls._require(cls.po_type)
        cls.company.adv_responsible_id = cls.adv_manager
        # A French salesperson and ADV Manager, an English team leader.
        (cls.salesman | cls.adv_manager).lang = "fr_FR"
        cls.adv_user.lang = "en_US"

    def _activity(self, order, user, xmlid="mail.mail_activity_data_warning"):
        activity = order.activity_ids.filtered(
            lambda a: a.user_id == user and a.activity_type_id == self.env.ref(xmlid)
        )
        self.assertEqual(len(activity), 1)
        return activity

    def test_provisional_follow_up_and_escalations(self):
        order = self._order()
        with freeze_time("2026-03-02"):
            # Confirmed by the English-speaking team leader: the French salesperson reads French.
            order.with_user(self.adv_user).with_context(lang="en_US").action_confirm()
        self.assertEqual(order.adv_contract_status, "provisional")
        follow_up = self._activity(order, self.salesman, "adv_order_control.mail_activity_adv_documents")
        self.assertEqual(follow_up.summary, "Collecter les documents contractuels manquants")
        self.assertIn("Commande provisoire", follow_up.note)
        self.assertEqual(
            order.adv_provisional_reason,
            "Confirmée en ligne ou automatiquement alors que des documents manquaient.",
        )
        # The French ADV Manager is told in French, the issues found again in French.
        review = self._activity(order, self.adv_manager, "mail.mail_activity_data_todo")
        self.assertEqual(review.summary, "Commande confirmée avec des documents manquants")
        self.assertIn(f"Il manque sur {order.name} des documents requis", review.note)
        # The escalation job runs in English (as OdooBot): each level reads its own language.
        cron = self.env["sale.order"].with_context(lang="en_US")
        with freeze_time("2026-03-18"):
            cron._cron_adv_escalate()
        leader = self._activity(order, self.adv_user)
        self.assertEqual(leader.summary, "Provisional order past its deadline")
        self.assertIn("still misses documents", leader.note)
        with freeze_time("2026-03-26"):
            cron._cron_adv_escalate()
        manager = self._activity(order, self.adv_manager)
        self.assertEqual(manager.summary, "Commande provisoire ayant dépassé sa date limite")
        self.assertIn("Il manque encore des documents", manager.note)
        self.assertIn(order.name, manager.note)

    def test_expiry_warning_in_the_responsibles_language(self):
        self._require(self.kbis_type)
        documents = self.env["adv.document"]
        for user in self.salesman | self.adv_user:
            customer = self.customer.copy({"name": f"Customer of {user.name}"})
            doc = self._order(partner=customer).adv_checklist_ids.filtered(
                lambda d: d.type_id == self.kbis_type
            )
            with freeze_time("2026-01-10"):
                doc.attachment_ids = [Command.create({"name": "kbis.pdf", "raw": b"%PDF-1.4 K-bis"})]
                doc.action_receive()
            doc.user_id = user
            documents |= doc
        with freeze_time("2026-03-20"):
            self.env["adv.document"].with_context(lang="en_US")._cron_expire()
        french, english = documents
        self.assertEqual(french.activity_ids.summary, f"Document arrivant à expiration : {french.name}")
        self.assertEqual(english.activity_ids.summary, f"Document expiring: {english.name}")

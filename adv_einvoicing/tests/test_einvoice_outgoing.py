import base64
import json
from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.adv_order_control.tests.common import AdvRpcCase

from ..tools import parse_cdar
from .common import AdvEinvoiceCommon


class AdvEinvoiceOutgoingCommon(AdvEinvoiceCommon):
    """A platform with a mail address and a token (the company's only one) and an accountant who registers
    payments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["adv.einvoice.platform"].search([("company_id", "=", cls.company.id)]).action_archive()
        cls.platform = cls.env["adv.einvoice.platform"].create(
            {"name": "PA Sortie", "email": "statuts@pa-sortie.example.com", "token": "out-s3cret"}
        )
        cls.accountant = new_test_user(
            cls.env, "einv_accountant", groups="account.group_account_invoice", name="Anne Accountant"
        )

    def _pay(self, invoice, amount=None, payment_date=date(2026, 9, 20)):
        """Register a payment as the accountant, through Odoo's payment wizard."""
        wizard = Form(
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
        )
        wizard.payment_date = payment_date
        if amount is not None:
            wizard.amount = amount
        return wizard.save().action_create_payments()

    def _outgoing(self, invoice):
        return invoice.adv_einvoice_status_ids.filtered("outgoing").sorted("amount")


@tagged("post_install", "-at_install")
class TestEinvoiceOutgoing(AdvEinvoiceOutgoingCommon):
    def test_full_payment_prepares_collected(self):
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        self.assertEqual(len(status), 1)
        self.assertEqual(status.code, "212")
        self.assertEqual(status.issuer, "seller")
        self.assertEqual(status.amount, 1000.0)
        self.assertEqual(status.date, datetime(2026, 9, 20))
        self.assertEqual(status.platform_id, self.platform)
        self.assertTrue(status.message_id.startswith("CDV-SE-123456789-"))
        self.assertFalse(status.sent_date)
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["212"])
        # Its file reads back as the same status.
        (payload,) = parse_cdar(status.attachment_id.raw)
        self.assertEqual(payload["message_id"], status.message_id)
        self.assertEqual(payload["invoice_number"], self.inv1.name)
        self.assertEqual(payload["siren"], "123456789")
        self.assertEqual((payload["code"], payload["issuer"], payload["amount"]), ("212", "seller", 1000.0))
        self.assertEqual(payload["date"], datetime(2026, 9, 20))

    def test_partial_payments_give_partial_statuses(self):
        self._pay(self.inv2, amount=400.0)
        self._pay(self.inv2, amount=600.0, payment_date=date(2026, 10, 5))
        statuses = self._outgoing(self.inv2)
        self.assertEqual(statuses.mapped("amount"), [400.0, 600.0])
        self.assertEqual(statuses.mapped("date"), [datetime(2026, 9, 20), datetime(2026, 10, 5)])
        self.assertEqual(len(set(statuses.mapped("message_id"))), 2)
        self.assertEqual(self.inv2.payment_state in ("paid", "in_payment"), True)

    def test_credit_note_is_not_a_collection(self):
        refund = self.inv3._reverse_moves([{"invoice_date": date(2026, 9, 10)}])
        refund.invoice_line_ids[0].price_unit = 300.0
        refund.action_post()  # reconciled with the invoice it reverses
        self.assertEqual(self.inv3.amount_residual, 700.0)
        self.assertFalse(self._outgoing(self.inv3))
        self._pay(self.inv3)
        self.assertEqual(self._outgoing(self.inv3).amount, 700.0)

    def test_unreconcile_removes_the_pending_status(self):
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        attachment = status.attachment_id
        self.inv1.line_ids.remove_move_reconcile()
        self.assertFalse(status.exists())
        self.assertFalse(attachment.exists())
        self.assertFalse(self._outgoing(self.inv1))

    def test_unreconcile_after_declaration_warns(self):
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        status.with_user(self.adv_user).action_adv_mark_declared()
        self.assertTrue(status.sent_date)
        self.inv1.line_ids.remove_move_reconcile()
        self.assertTrue(status.exists(), "a declared status cannot be unsent")
        activity = self.inv1.activity_ids.filtered(lambda a: "correct it on the platform" in str(a.note))
        self.assertEqual(activity.user_id, self.adv_user)

    def test_nothing_when_einvoicing_off_or_not_declaring(self):
        self.company.adv_einvoicing_enabled = False
        self._pay(self.inv1)
        self.assertFalse(self._outgoing(self.inv1))
        self.company.write({"adv_einvoicing_enabled": True, "adv_einvoice_declare_collections": False})
        self._pay(self.inv2)
        self.assertFalse(self._outgoing(self.inv2))

    def test_download_and_mark_declared(self):
        self._pay(self.inv1)
        status = self._outgoing(self.inv1).with_user(self.adv_user)
        action = status.action_adv_download()
        self.assertEqual(action["url"], f"/web/content/{status.attachment_id.id}?download=true")
        status.action_adv_mark_declared()
        declared_on = status.sent_date
        self.assertTrue(declared_on)
        status.action_adv_mark_declared()
        self.assertEqual(status.sent_date, declared_on, "declaring twice changes nothing")

    def test_send_to_platform_by_mail(self):
        self._pay(self.inv1, amount=400.0)
        self._pay(self.inv2)
        statuses = (self._outgoing(self.inv1) + self._outgoing(self.inv2)).with_user(self.adv_user)
        statuses.action_adv_send_to_platform()
        self.assertTrue(all(statuses.mapped("sent_date")))
        mail = self.env["mail.mail"].search(
            [("model", "=", "adv.einvoice.platform"), ("res_id", "=", self.platform.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "statuts@pa-sortie.example.com")
        self.assertEqual(mail.attachment_ids, statuses.attachment_id)

    def test_send_without_platform_address(self):
        self._pay(self.inv1)
        self.platform.email = False
        with self.assertRaisesRegex(UserError, "mail address"):
            self._outgoing(self.inv1).with_user(self.adv_user).action_adv_send_to_platform()

    def test_choose_the_platform_when_the_company_has_several(self):
        other = self.env["adv.einvoice.platform"].create(
            {"name": "PA Bis", "email": "statuts@pa-bis.example.com", "token": "bis-s3cret"}
        )
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        self.assertFalse(status.platform_id, "never received a status, two platforms: none to guess")
        with self.assertRaisesRegex(UserError, "open the status and set its Platform"):
            status.with_user(self.adv_user).action_adv_send_to_platform()
        # Neither a salesperson nor a platform of another company.
        with self.assertRaises(AccessError):
            status.with_user(self.salesman).write({"platform_id": other.id})
        company_b = self.env["res.company"].create({"name": "Filiale B"})
        foreign = self.env["adv.einvoice.platform"].create({"name": "PA B", "company_id": company_b.id})
        with self.assertRaisesRegex(UserError, "platform of the invoice's company"):
            status.with_user(self.adv_user).write({"platform_id": foreign.id})
        # The ADV user chooses it on the status, sends: declared to that platform.
        view = "adv_einvoicing.adv_einvoice_status_view_form_outgoing"
        form = Form(status.with_user(self.adv_user), view=view)
        form.platform_id = other
        form.save()
        status.with_user(self.adv_user).action_adv_send_to_platform()
        self.assertEqual(status.platform_id, other)
        self.assertTrue(status.sent_date)
        mail = self.env["mail.mail"].search(
            [("model", "=", "adv.einvoice.platform"), ("res_id", "=", other.id)]
        )
        self.assertEqual(mail.attachment_ids, status.attachment_id)
        # Declared: the platform no longer changes.
        with self.assertRaises(AssertionError, msg="read-only in the form"):
            Form(status.with_user(self.adv_user), view=view).platform_id = self.platform
        with self.assertRaisesRegex(UserError, "before it is declared"):
            status.with_user(self.adv_user).write({"platform_id": self.platform.id})

    def test_the_single_active_platform_is_taken_at_sending(self):
        other = self.env["adv.einvoice.platform"].create({"name": "PA Bis", "token": "bis-s3cret"})
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        self.assertFalse(status.platform_id)
        other.action_archive()
        status.with_user(self.adv_user).action_adv_send_to_platform()
        self.assertEqual(status.platform_id, self.platform)
        self.assertTrue(status.sent_date)

    def test_salesperson_cannot_declare_nor_write_sent_date(self):
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        with self.assertRaises(AccessError):
            status.with_user(self.salesman).action_adv_mark_declared()
        with self.assertRaises(AccessError):
            status.with_user(self.salesman).action_adv_send_to_platform()
        for user in (self.salesman, self.adv_user):
            with self.assertRaises(AccessError):
                status.with_user(user).write({"sent_date": fields.Datetime.now()})
        self.assertFalse(status.sent_date)

    def test_cron_reminds_once(self):
        self._pay(self.inv1, payment_date=fields.Date.today() - timedelta(days=5))
        self._pay(self.inv2, payment_date=fields.Date.today())
        activity_type = self.env.ref("adv_einvoicing.mail_activity_type_declare_status")
        model = self.env["adv.einvoice.status"]
        model._cron_remind_undeclared()
        model._cron_remind_undeclared()
        reminded = self.env["mail.activity"].search(
            [("activity_type_id", "=", activity_type.id), ("res_model", "=", "account.move")]
        )
        self.assertEqual(reminded.mapped("res_id"), self.inv1.ids, "late ones only, once")
        self.assertEqual(reminded.user_id, self.adv_user)
        # Declared: no more reminders after the agent closes this one.
        self._outgoing(self.inv1).with_user(self.adv_user).action_adv_mark_declared()
        reminded.action_done()
        model._cron_remind_undeclared()
        self.assertFalse(
            self.env["mail.activity"].search(
                [("activity_type_id", "=", activity_type.id), ("res_id", "=", self.inv1.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestEinvoiceDisputeAnswer(AdvEinvoiceOutgoingCommon):
    def _dispute(self, code="207"):
        log = self.inv2.with_user(self.adv_user)._adv_einvoice_receive_status(
            {
                "message_id": f"BY-{code}",
                "code": code,
                "reason_text": "Quantités contestées",
                "issuer": "buyer",
            }
        )
        self.assertEqual(log.state, "done", log.error)
        dispute = self.inv2.adv_dispute_ids
        self.assertEqual(dispute.adv_einvoice_status_id.code, code)
        return dispute

    def _resolve(self, dispute):
        form = Form(dispute.with_user(self.adv_user))
        form.decision = "rejected"
        form.decision_note = "Quantités conformes au bon de livraison signé"
        form.save().action_resolve()

    def test_resolution_prepares_completed(self):
        dispute = self._dispute()
        self._resolve(dispute)
        answer = dispute.adv_einvoice_answer_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual((answer.code, answer.move_id, answer.outgoing), ("209", self.inv2, True))
        self.assertIn("Quantités conformes au bon de livraison signé", answer.reason_text)
        self.assertFalse(answer.sent_date)
        (payload,) = parse_cdar(answer.attachment_id.raw)
        self.assertEqual(payload["code"], "209")
        self.assertEqual(payload["reason_text"], answer.reason_text)
        # Reopened before it was declared: the answer is withdrawn; resolved again: a new one.
        controller = new_test_user(self.env, "einv_ctrl", groups="adv_credit_mgmt.group_credit_controller")
        dispute.with_user(controller).action_reopen()
        self.assertFalse(answer.exists())
        self._resolve(dispute)
        self.assertEqual(len(dispute.adv_einvoice_answer_ids), 1)

    def test_refusal_answered_only_when_configured(self):
        dispute = self._dispute("210")
        self._resolve(dispute)
        self.assertFalse(dispute.adv_einvoice_answer_ids, "a refusal ends the lifecycle by default")

    def test_refusal_answered_when_configured(self):
        self.company.adv_einvoice_dispute_answer = "all"
        dispute = self._dispute("210")
        self._resolve(dispute)
        self.assertEqual(dispute.adv_einvoice_answer_ids.code, "209")

    def test_answers_switched_off(self):
        self.company.adv_einvoice_dispute_answer = "none"
        dispute = self._dispute()
        self._resolve(dispute)
        self.assertFalse(dispute.adv_einvoice_answer_ids)

    def test_user_cannot_link_a_status_to_a_dispute(self):
        status = self._dispute().adv_einvoice_status_id
        with self.assertRaises(AccessError):
            self.env["adv.dispute"].with_user(self.adv_user).create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.link(self.inv1.id)],
                    "adv_einvoice_status_id": status.id,
                }
            )


@tagged("post_install", "-at_install")
class TestEinvoiceOutgoingHttp(AdvEinvoiceOutgoingCommon, AdvRpcCase):
    def _get(self, token="out-s3cret"):
        return self.url_open(
            f"/adv/einvoicing/{self.platform.id}/outgoing", headers={"Authorization": f"Bearer {token}"}
        )

    def _ack(self, message_ids, token="out-s3cret"):
        return self.url_open(
            f"/adv/einvoicing/{self.platform.id}/outgoing/ack",
            data=json.dumps({"message_ids": message_ids}),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )

    def test_fetch_then_acknowledge(self):
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        self.assertEqual(self._get(token="wrong").status_code, 401)
        response = self._get()
        self.assertEqual(response.status_code, 200, response.text)
        (fetched,) = response.json()["statuses"]
        self.assertEqual(fetched["message_id"], status.message_id)
        self.assertEqual(fetched["amount"], 1000.0)
        self.assertEqual(parse_cdar(base64.b64decode(fetched["content"]))[0]["amount"], 1000.0)
        self.assertFalse(status.sent_date, "fetching declares nothing")

        self.assertEqual(self._ack([status.message_id], token="wrong").status_code, 401)
        self.assertFalse(status.sent_date)
        response = self._ack([status.message_id, "NOT-OURS"])
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual([r["state"] for r in response.json()["results"]], ["declared", "unknown"])
        status.invalidate_recordset()
        self.assertTrue(status.sent_date)
        self.assertEqual(self._ack([status.message_id]).json()["results"][0]["state"], "already")
        self.assertEqual(self._get().json()["statuses"], [])

    def test_bad_ack_body(self):
        response = self.url_open(
            f"/adv/einvoicing/{self.platform.id}/outgoing/ack",
            data="not json",
            headers={"Authorization": "Bearer out-s3cret", "Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 400)

    def test_sent_date_refused_over_xmlrpc(self):
        self._pay(self.inv1)
        status = self._outgoing(self.inv1)
        for user in (self.salesman, self.adv_user):
            self.assertRpcRefused(
                user, "adv.einvoice.status", "write", [status.id], {"sent_date": "2026-09-21 10:00:00"}
            )
        status.invalidate_recordset()
        self.assertFalse(status.sent_date)

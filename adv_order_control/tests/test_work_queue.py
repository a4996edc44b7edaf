import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestWorkQueue(AdvOrderControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of its own: the cards count its records only, whatever the demo holds.
        cls.company_b = cls.env["res.company"].create({"name": "ADV Queue Test Co"})
        cls.adv_user.write({"company_ids": [Command.link(cls.company_b.id)]})
        cls.outsider = new_test_user(
            cls.env, "adv_oc_queue_outsider", groups="adv_order_control.group_adv_user"
        )
        Queue = cls.env["adv.work.queue"]
        cls.card_documents = Queue.create(
            {"name": "B documents", "code": "documents_to_validate", "company_id": cls.company_b.id}
        )
        cls.card_provisional = Queue.create(
            {"name": "B late orders", "code": "provisional_late", "company_id": cls.company_b.id}
        )
        cls.today = fields.Date.context_today(Queue)
        cls.framework_type = cls.env.ref("adv_order_control.doc_type_framework_contract")

    def _document(self, receive=True):
        """A contract document of company B, received with its file (or still missing, without one)."""
        files = [Command.create({"name": "contract.pdf", "datas": base64.b64encode(b"%PDF-1.4 contract")})]
        doc = (
            self.env["adv.document"]
            .with_company(self.company_b)
            .create(
                {
                    "type_id": self.framework_type.id,
                    # One document of a type per customer and company: a customer each.
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Queue customer", "is_company": True})
                    .id,
                    "company_id": self.company_b.id,
                    "attachment_ids": files if receive else [],
                }
            )
        )
        if receive:
            doc.action_receive()
        return doc

    def _provisional_order(self, deadline):
        order = self._order(company_id=self.company_b.id, team_id=False)
        order.sudo().state = "sale"
        order._adv_set_provisional("PO expected", deadline=deadline)
        return order

    def _figures(self, card, user=None):
        card = card.with_user(user or self.adv_user).with_context(
            allowed_company_ids=[self.company_b.id, self.company.id]
        )
        return card.count, card.amount

    def test_documents_card_counts_received_documents_and_opens_them(self):
        received = self._document() | self._document()
        self._document(receive=False)  # still missing: nothing to validate
        self._document().with_company(self.company_b).action_validate()  # already validated
        self.assertEqual(self._figures(self.card_documents)[0], 2)
        # The same documents in another company do not count on company B's card.
        self.env["adv.document"].create(
            {
                "type_id": self.framework_type.id,
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "attachment_ids": [Command.create({"name": "contract.pdf", "raw": b"%PDF-1.4 contract"})],
            }
        ).action_receive()
        self.assertEqual(self._figures(self.card_documents)[0], 2)

        action = (
            self.card_documents.with_user(self.adv_user)
            .with_context(allowed_company_ids=[self.company_b.id])
            .action_open()
        )
        self.assertEqual(action["res_model"], "adv.document")
        self.assertEqual(action["display_name"], "B documents", "the breadcrumb names the card")
        self.assertFalse(
            [key for key in action["context"] if key.startswith("search_default_")],
            "the card's domain is the whole filter",
        )
        listed = self.env["adv.document"].with_user(self.adv_user).search(action["domain"])
        self.assertEqual(listed, received)

    def test_provisional_card_counts_orders_past_their_deadline(self):
        late = self._provisional_order(self.today - timedelta(days=1))
        self._provisional_order(self.today)  # due today: not late yet
        count, amount = self._figures(self.card_provisional)
        self.assertEqual(count, 1)
        self.assertAlmostEqual(amount, late.amount_untaxed)
        action = self.card_provisional.with_user(self.adv_user).action_open()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), late)

    def test_card_of_a_company_the_user_is_not_in(self):
        self._document()
        # A shared card (no company) counts the companies the user works in: company B's document
        # counts for a user working in it, not for one who is not in company B.
        shared = self.env["adv.work.queue"].create({"name": "All docs", "code": "documents_to_validate"})
        in_b = shared.with_user(self.adv_user).with_context(allowed_company_ids=[self.company_b.id])
        self.assertEqual(in_b.count, 1)
        outsider_cards = self.env["adv.work.queue"].with_user(self.outsider).search([])
        self.assertNotIn(self.card_documents, outsider_cards, "company rule: another company's card")
        self.assertIn(shared, outsider_cards)
        outsider_view = shared.with_user(self.outsider)
        self.assertEqual(
            outsider_view.count,
            self.env["adv.document"]
            .with_user(self.outsider)
            .search_count([("state", "=", "received"), ("company_id", "=", self.company.id)]),
        )

    def test_cards_are_configured_by_the_adv_manager(self):
        with Form(self.env["adv.work.queue"].with_user(self.adv_manager)) as form:
            form.name = "Documents (team)"
            form.code = "documents_to_validate"
        self.assertEqual(form.record.code, "documents_to_validate")
        with self.assertRaises(Exception):  # noqa: B017 - AccessError raised by the ORM, user only reads
            self.env["adv.work.queue"].with_user(self.adv_user).create(
                {"name": "Not mine", "code": "documents_to_validate"}
            )


@tagged("post_install", "-at_install")
class TestWorkQueueTour(HttpCase):
    """The ADV user's day from the overview: each card of this module opens its list, and the act done
    there (validate a document, regularise a late provisional order) takes the record off the card."""

    def test_overview_cards_open_their_list_and_act(self):
        adv_user = new_test_user(
            self.env,
            "tour_queue_adv",
            groups="adv_order_control.group_adv_user,sales_team.group_sale_salesman_all_leads",
        )
        # Only the customer purchase order is required: the late order misses it and nothing else.
        self.env["adv.document.type"].search([]).active = False
        AdvOrderControlCommon._require(self.env.ref("adv_order_control.doc_type_purchase_order"))
        customer = self.env["res.partner"].create({"name": "Tour Queue Customer", "is_company": True})
        document = self.env["adv.document"].create(
            {
                "type_id": self.env.ref("adv_order_control.doc_type_framework_contract").id,
                "partner_id": customer.id,
                "company_id": self.env.company.id,
                "attachment_ids": [
                    Command.create(
                        {"name": "contract.pdf", "raw": b"%PDF-1.4 contract", "res_model": "adv.document"}
                    )
                ],
            }
        )
        # Uploaded on the document, as the web client does: readable by whoever reads the document.
        document.attachment_ids.res_id = document.id
        document.action_receive()
        late_customer = self.env["res.partner"].create({"name": "Tour Late Customer", "is_company": True})
        product = self.env["product.product"].create({"name": "Tour service", "type": "service"})
        order = self.env["sale.order"].create(
            {
                "partner_id": late_customer.id,
                "user_id": adv_user.id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 800.0})],
            }
        )
        order.action_confirm()  # unattended: provisional, the purchase order missing
        today = fields.Date.context_today(order)
        order._adv_set_provisional("Customer PO expected", deadline=today - timedelta(days=3))
        card = self.env.ref("adv_order_control.work_queue_provisional_late").with_user(adv_user)
        self.assertIn(order, self.env["sale.order"].search(card.action_open()["domain"]))

        self.start_tour("/odoo", "adv_work_queue_overview_tour", login=adv_user.login)
        self.assertEqual(document.state, "validated")
        self.assertEqual(document.validated_by_id, adv_user)
        purchase_order = order.adv_checklist_ids.filtered(
            lambda d: d.type_id == self.env.ref("adv_order_control.doc_type_purchase_order")
        )
        self.assertEqual(purchase_order.state, "validated")
        self.assertEqual(purchase_order.original_seen_by_id, adv_user)
        self.assertEqual(order.adv_contract_status, "complete")
        card.invalidate_recordset()
        self.assertNotIn(order, self.env["sale.order"].search(card.action_open()["domain"]))

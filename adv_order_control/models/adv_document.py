from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import check_owned_fields, reader_env

OK_STATES = ("received", "validated", "waived")
ADV_USER = "adv_order_control.group_adv_user"
# Who may write each field directly; None: only the buttons (receive, validate, waive, reset) and the
# nightly job, which write as superuser after their own group check. A salesperson uploads the file
# (which marks the document received) and gives its issue date; the ADV team dates and validates.
OWNED_FIELDS = {
    "state": None,
    "received_by_id": None,
    "validated_date": None,
    "validated_by_id": None,
    "waiver_reason": None,
    "waiver_end_date": None,
    "expiry_warned": None,
    "original_seen": None,
    "original_seen_by_id": None,
    "original_seen_date": None,
    "received_date": ADV_USER,
    "expiry_date": ADV_USER,
}


class AdvDocument(models.Model):
    _name = "adv.document"
    _description = "Contract Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, expiry_date, id desc"
    _check_company_auto = True

    type_id = fields.Many2one(
        "adv.document.type", string="Document Type", required=True, index=True, ondelete="restrict"
    )
    scope = fields.Selection(related="type_id.scope", store=True)
    requirement = fields.Selection(related="type_id.requirement", store=True)
    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
        help="The commercial partner: a customer document serves all its contacts and orders.",
    )
    order_id = fields.Many2one("sale.order", index="btree_not_null", ondelete="cascade", check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", compute="_compute_user_id", store=True, readonly=False, index=True
    )
    state = fields.Selection(
        [
            ("missing", "Missing"),
            ("received", "Received"),
            ("validated", "Validated"),
            ("expired", "Expired"),
            ("waived", "Waived"),
        ],
        default="missing",
        required=True,
        tracking=True,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    stage = fields.Selection(
        [
            ("to_collect", "To Collect"),
            ("to_validate", "To Validate"),
            ("valid", "Validated"),
            ("waived", "Waived"),
        ],
        string="Column",
        compute="_compute_stage",
        store=True,
        group_expand=True,
        help="The documents board's column: to collect (missing or expired), to validate (received), "
        "validated, waived.",
    )
    is_ok = fields.Boolean(
        string="Satisfied",
        compute="_compute_is_ok",
        search="_search_is_ok",
        help="Received, validated or waived, and not past its expiry date (or its waiver's end) today: a "
        "document counts as expired from the day after its expiry date, before the nightly job marks it.",
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Files")
    issue_date = fields.Date(
        tracking=True,
        copy=False,
        help="Date the document was issued (e.g. the date printed on a K-bis extract). Its validity runs "
        "from this date where the document type says so.",
    )
    received_date = fields.Date(tracking=True, copy=False)
    received_by_id = fields.Many2one("res.users", string="Received by", readonly=True, copy=False)
    validated_date = fields.Date(readonly=True, copy=False)
    validated_by_id = fields.Many2one("res.users", string="Validated by", readonly=True, copy=False)
    expiry_date = fields.Date(tracking=True, index=True, copy=False)
    original_seen = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="The ADV team saw the paper original (no file attached): recorded by the Original Seen button.",
    )
    original_seen_by_id = fields.Many2one("res.users", string="Original Seen by", readonly=True, copy=False)
    original_seen_date = fields.Datetime(string="Original Seen on", readonly=True, copy=False)
    expiry_warned = fields.Boolean(copy=False, help="The responsible was told of the coming expiry.")
    waiver_reason = fields.Text(readonly=True, copy=False, tracking=True)
    waiver_end_date = fields.Date(readonly=True, copy=False, tracking=True)
    notes = fields.Text()

    # ------------------------------------------------------------------ compute
    @api.depends("type_id.name", "partner_id.name", "order_id.name")
    def _compute_name(self):
        for doc in self:
            owner = doc.order_id.name or doc.partner_id.name or ""
            doc.name = f"{doc.type_id.name} - {owner}" if doc.type_id else owner

    @api.depends("order_id.user_id", "partner_id.user_id")
    def _compute_user_id(self):
        for doc in self:
            doc.user_id = doc.order_id.user_id or doc.partner_id.user_id or doc.user_id

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"missing": 1, "expired": 2, "received": 3, "validated": 4, "waived": 5}
        for doc in self:
            doc.state_sequence = order[doc.state]

    @api.depends("state")
    def _compute_stage(self):
        stages = {
            "missing": "to_collect",
            "expired": "to_collect",
            "received": "to_validate",
            "validated": "valid",
            "waived": "waived",
        }
        for doc in self:
            doc.stage = stages[doc.state]

    @api.depends("state", "expiry_date", "waiver_end_date")
    def _compute_is_ok(self):
        today = fields.Date.context_today(self)
        for doc in self:
            doc.is_ok = doc.state in OK_STATES and not doc._is_past_end(today)

    def _is_past_end(self, today):
        """Past its validity: an expiry date (received, validated) or a waiver's end before today."""
        end = self.waiver_end_date if self.state == "waived" else self.expiry_date
        return bool(end and end < today)

    def _search_is_ok(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the satisfied documents with = or != and a boolean."))
        today = fields.Date.context_today(self)
        domain = [
            "|",
            "&",
            ("state", "in", ("received", "validated")),
            "|",
            ("expiry_date", "=", False),
            ("expiry_date", ">=", today),
            "&",
            ("state", "=", "waived"),
            "|",
            ("waiver_end_date", "=", False),
            ("waiver_end_date", ">=", today),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------------ constraints
    @api.constrains("scope", "order_id")
    def _check_scope(self):
        for doc in self:
            if doc.scope == "order" and not doc.order_id:
                raise ValidationError(
                    self.env._("%s is an order document: choose the order it belongs to.", doc.type_id.name)
                )
            if doc.scope == "partner" and doc.order_id:
                raise ValidationError(
                    self.env._(
                        "%s is a customer document: it is kept on the customer, not on an order.",
                        doc.type_id.name,
                    )
                )

    @api.constrains("received_date", "expiry_date", "issue_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for doc in self:
            if doc.received_date and doc.expiry_date and doc.expiry_date < doc.received_date:
                raise ValidationError(
                    self.env._("%s: the expiry date cannot be before the date it was received.", doc.name)
                )
            if doc.issue_date and doc.issue_date > max(today, doc.received_date or today):
                raise ValidationError(
                    self.env._(
                        "%s: the issue date cannot be in the future, nor after the date the document was "
                        "received: enter the date printed on the document.",
                        doc.name,
                    )
                )

    def init(self):
        # One document per type and customer (and company), or per type and order.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS adv_document_partner_type_uniq ON %s "
                "(type_id, partner_id, company_id) WHERE order_id IS NULL",
                SQL.identifier(self._table),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS adv_document_order_type_uniq ON %s (type_id, order_id) "
                "WHERE order_id IS NOT NULL",
                SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # "missing" is the default the web client sends: a new document starts there anyway.
            owned = {k: v for k, v in vals.items() if not (k == "state" and v == "missing")}
            check_owned_fields(self, owned, OWNED_FIELDS, creating=True)
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
        docs = super().create(vals_list)
        docs.filtered("attachment_ids")._mark_received()
        return docs

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        if not self.env.su and not self.env.user.has_group(ADV_USER):
            self._check_salesperson_write(vals)
        res = super().write(vals)
        if vals.get("attachment_ids"):
            self.filtered(lambda d: d.state in ("missing", "expired") and d.attachment_ids)._mark_received(
                keep_issue_date="issue_date" in vals
            )
            # A file removed after the upload: the document is missing again, unless its original was
            # seen; a validated document keeps its proof.
            unproven = self.filtered(lambda d: not d.attachment_ids and not d.original_seen)
            unproven.filtered(lambda d: d.state == "validated")._check_evidence()
            unproven.filtered(lambda d: d.state == "received")._set_missing()
        if "issue_date" in vals:
            self._update_expiry_from_issue()
        if {"state", "expiry_date", "issue_date"} & set(vals):
            self._notify_orders()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_required_document(self):
        # A required document is a control of the orders whose checklist holds it: only the ADV team
        # removes it (or waives it); the checklist sync removes the ones no rule expects any more.
        if not self.env.su and not self.env.user.has_group(ADV_USER):
            required = self.filtered(lambda d: d.requirement != "info")
            if required:
                raise AccessError(
                    self.env._(
                        "%s is a required contract document: only the ADV team removes it (or waives it).",
                        ", ".join(required.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------ actions
    def action_receive(self):
        """Mark received: with its file attached, or its paper original seen by the ADV team."""
        self._check_evidence()
        self._mark_received()

    def action_original_seen(self):
        """The ADV team saw the paper original: recorded with who and when, and the document received."""
        self._check_adv_user()
        self.sudo().write(
            {
                "original_seen": True,
                "original_seen_by_id": self.env.uid,
                "original_seen_date": fields.Datetime.now(),
            }
        )
        self._mark_received()

    def action_validate(self):
        self._check_adv_user()
        todo = self.filtered(lambda d: d.state in ("missing", "received", "expired"))
        todo._check_evidence()
        undated = todo.filtered(
            lambda d: d.type_id.validity_start == "issue" and not d.issue_date and not d.expiry_date
        )
        if undated:
            raise UserError(
                self.env._(
                    "Enter the issue date of %s: its validity runs from the date it was issued.",
                    ", ".join(undated.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        for doc in todo:
            received = doc.received_date or today
            doc.sudo().write(
                {
                    "state": "validated",
                    "validated_date": today,
                    "validated_by_id": self.env.uid,
                    "received_date": received,
                    "received_by_id": doc.received_by_id.id or self.env.uid,
                    "expiry_date": doc.expiry_date or doc._expiry_from_type(received),
                }
            )

    def action_reset_missing(self):
        self._check_adv_user()
        self._set_missing()

    def action_open_waive_wizard(self):
        self._check_adv_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive Documents"),
            "res_model": "adv.document.waive.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_ids": self.ids},
        }

    # ------------------------------------------------------------------ business
    def _check_salesperson_write(self, vals):
        """What a document is, and the issue date it was checked on, are the ADV team's to change."""
        fixed = [f for f in ("type_id", "partner_id", "order_id", "company_id") if f in vals]
        if fixed and any(doc[f].id != (vals[f] or False) for doc in self for f in fixed):
            raise AccessError(
                self.env._("Only the ADV team moves a contract document to another type, customer or order.")
            )
        if "issue_date" in vals and any(
            doc.issue_date and str(doc.issue_date) != str(vals["issue_date"] or "") for doc in self
        ):
            raise AccessError(self.env._("Only the ADV team corrects the issue date of a contract document."))

    def _check_evidence(self):
        """Received or validated needs its proof: the file, or the original seen by the ADV team."""
        unproven = self.filtered(lambda d: not d.attachment_ids and not d.original_seen)
        if unproven:
            raise UserError(
                self.env._(
                    "Attach the file of %s, or have the ADV team record that the original was seen "
                    "(Original Seen): a document is received or validated on its proof.",
                    ", ".join(unproven.mapped("name")),
                )
            )

    def _check_adv_user(self):
        if not self.env.user.has_group("adv_order_control.group_adv_user"):
            raise AccessError(self.env._("Only the ADV team validates contract documents."))

    def _check_adv_manager(self):
        if not self.env.user.has_group("adv_order_control.group_adv_manager"):
            raise AccessError(self.env._("Only an ADV Manager can waive a contract document."))

    def _mark_received(self, keep_issue_date=False):
        """Received today by the current user (callers check who may; written as superuser).

        The issue date of an expired document's old version goes, unless given with the new file."""
        today = fields.Date.context_today(self)
        for doc in self.filtered(lambda d: d.state in ("missing", "expired")):
            if doc.state == "expired" and not keep_issue_date:
                doc.sudo().issue_date = False
            doc.sudo().write(
                {
                    "state": "received",
                    "received_date": today,
                    "received_by_id": self.env.uid,
                    "expiry_date": doc._expiry_from_type(today) or doc.expiry_date,
                    "expiry_warned": False,
                }
            )

    def _set_missing(self):
        self.sudo().write(
            {
                "state": "missing",
                "waiver_reason": False,
                "waiver_end_date": False,
                "expiry_warned": False,
                "original_seen": False,
                "original_seen_by_id": False,
                "original_seen_date": False,
            }
        )

    def _expiry_from_type(self, received):
        """The expiry its type gives: from the issue date where the type says so, else from receipt."""
        self.ensure_one()
        start = received
        if self.type_id.validity_start == "issue" and self.issue_date:
            start = self.issue_date
        return self.type_id._expiry_from(start)

    def _update_expiry_from_issue(self):
        """A date of issue given (or corrected) after receipt moves the expiry its type computes."""
        for doc in self.filtered(
            lambda d: d.type_id.validity_start == "issue"
            and d.issue_date
            and d.state in ("received", "validated")
        ):
            expiry = doc._expiry_from_type(doc.received_date)
            if expiry and expiry != doc.expiry_date:
                doc.sudo().write({"expiry_date": expiry, "expiry_warned": False})

    def _waive(self, reason, end_date=False):
        self._check_adv_manager()
        if not (reason or "").strip():
            raise UserError(
                self.env._("Say why the document is waived: the reason is kept for the auditors.")
            )
        if end_date and end_date < fields.Date.context_today(self):
            raise UserError(self.env._("The waiver end date is in the past: choose a later date or none."))
        self.sudo().write({"state": "waived", "waiver_reason": reason, "waiver_end_date": end_date})
        for doc in self:
            doc.message_post(body=self.env._("Waived: %s", reason))

    def _orders(self):
        """Open orders whose checklist holds these documents."""
        return self.env["sale.order"].search(
            [("adv_checklist_ids", "in", self.ids), ("state", "!=", "cancel")]
        )

    def _notify_orders(self):
        self._orders()._adv_regularise()

    @api.model
    def _cron_expire(self):
        """Expire documents past their date and warn the responsible ahead of expiry, once."""
        today = fields.Date.context_today(self)
        expired = self.search(
            [
                "|",
                "&",
                ("state", "in", ("received", "validated")),
                ("expiry_date", "<", today),
                "&",
                ("state", "=", "waived"),
                ("waiver_end_date", "<", today),
            ]
        )
        # The original seen was that of the old version: the new one needs its own proof.
        expired.sudo().write(
            {
                "state": "expired",
                "original_seen": False,
                "original_seen_by_id": False,
                "original_seen_date": False,
            }
        )
        for doc in expired:
            doc.message_post(
                body=reader_env(self.env, doc.user_id)._(
                    "The document has expired: ask the customer for a new one."
                )
            )
        soon = self.search(
            [
                ("state", "in", ("received", "validated")),
                ("expiry_warned", "=", False),
                ("expiry_date", "<=", today + timedelta(days=30)),
                ("expiry_date", ">=", today),
            ]
        )
        for doc in soon:
            env = reader_env(self.env, doc.user_id)
            doc.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=doc.expiry_date,
                summary=env._("Document expiring: %s", doc.name),
                note=env._("Ask the customer for a new version before %s.", doc.expiry_date),
                user_id=doc.user_id.id or self.env.uid,
            )
        soon.sudo().write({"expiry_warned": True})

    # ------------------------------------------------------------------ checklists
    @api.model
    def _sync_partner_documents(self, partners, company):
        """Create the missing customer documents expected for these commercial partners."""
        types = self.env["adv.document.type"].search([("scope", "=", "partner")])
        wanted = {
            (doc_type.id, partner.id)
            for partner in partners
            for doc_type in types
            if doc_type._applies(partner, company, for_partner_only=True)
        }
        return self._create_missing(wanted, company)

    @api.model
    def _sync_order_checklists(self, orders):
        """Set each order's checklist to the documents its rules expect, creating the missing ones.

        Set-based: one search of types, one of existing documents, one create, one write per
        distinct checklist, whatever the number of orders.
        """
        types = self.env["adv.document.type"].search([("active", "=", True)])
        if not types and not orders.adv_checklist_ids:
            return
        wanted = {}  # order -> set of (type, partner, order or False)
        for order in orders:
            partner, company = order.partner_id.commercial_partner_id, order.company_id
            amount = order.currency_id._convert(
                order.amount_untaxed, company.currency_id, company, order.date_order or fields.Date.today()
            )
            wanted[order] = {
                (t.id, partner.id, order.id if t.scope == "order" else False, company.id)
                for t in types
                if t._applies(partner, company, amount)
            }
        keys = set().union(*wanted.values()) if wanted else set()
        docs = self._find_or_create(keys, orders)
        by_key = {d._key(): d.id for d in docs}
        self._prune_order_documents(orders, keys)
        self._set_checklists(
            orders,
            {order: [by_key[k] for k in order_keys if k in by_key] for order, order_keys in wanted.items()},
        )

    def _set_checklists(self, orders, checklists):
        """Write every order's checklist in two statements: one ORM write per order costs a query each."""
        orders.flush_recordset(["adv_checklist_ids"])
        pairs = [(order.id, doc_id) for order, doc_ids in checklists.items() for doc_id in doc_ids]
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM adv_document_sale_order_rel WHERE order_id = ANY(%s)", orders.ids))
        cr.execute(
            SQL(
                "INSERT INTO adv_document_sale_order_rel (order_id, document_id) "
                "SELECT * FROM unnest(%s::int[], %s::int[])",
                [p[0] for p in pairs],
                [p[1] for p in pairs],
            )
        )
        orders.invalidate_recordset(["adv_checklist_ids"])
        # Recompute the statuses stored on the orders, which depend on their checklists.
        orders.modified(["adv_checklist_ids"])

    def _find_or_create(self, keys, orders):
        partner_ids = list({k[1] for k in keys})
        existing = self.with_context(active_test=False).search(
            [
                ("partner_id", "in", partner_ids),
                "|",
                ("order_id", "=", False),
                ("order_id", "in", orders.ids),
            ]
        )
        have = {d._key() for d in existing}
        vals_list = [
            {"type_id": type_id, "partner_id": partner_id, "order_id": order_id, "company_id": company_id}
            for type_id, partner_id, order_id, company_id in keys - have
        ]
        quiet = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True, mail_create_nosubscribe=True
        )
        return existing | quiet.create(vals_list)

    def _prune_order_documents(self, orders, keys):
        """Order documents still missing and no longer expected go (a rule or the amount changed)."""
        stale = self.search(
            [("order_id", "in", orders.ids), ("state", "=", "missing"), ("attachment_ids", "=", False)]
        ).filtered(lambda d: d._key() not in keys)
        stale.unlink()

    def _key(self):
        self.ensure_one()
        return (self.type_id.id, self.partner_id.id, self.order_id.id or False, self.company_id.id)

    @api.model
    def _create_missing(self, wanted, company):
        existing = self.search(
            [
                ("partner_id", "in", [p for _t, p in wanted]),
                ("order_id", "=", False),
                ("company_id", "=", company.id),
            ]
        )
        have = {(d.type_id.id, d.partner_id.id) for d in existing}
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        return existing | quiet.create(
            [
                {"type_id": type_id, "partner_id": partner_id, "company_id": company.id}
                for type_id, partner_id in wanted - have
            ]
        )

import base64
from datetime import datetime

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import parse_cdar
from .adv_einvoice_status_code import ISSUERS

RECEIVER_GROUP = "adv_order_control.group_adv_user"


class AdvEinvoiceStatus(models.Model):
    _name = "adv.einvoice.status"
    _description = "E-Invoicing Lifecycle Status"
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    code_id = fields.Many2one(
        "adv.einvoice.status.code", string="Status", required=True, ondelete="restrict", readonly=True
    )
    code = fields.Char(related="code_id.code", store=True, string="Code")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    issuer = fields.Selection(ISSUERS, required=True, readonly=True)
    reason_code = fields.Char(readonly=True)
    reason_text = fields.Text(string="Reason", readonly=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary(
        readonly=True, help="Amount approved, disputed or collected, when the message gives one."
    )
    expected_date = fields.Date(
        string="Expected Payment",
        readonly=True,
        help="Payment date the message announces (Approuvée, Paiement transmis): the cash forecast expects "
        "the approved amount on it.",
    )
    message_id = fields.Char(
        string="Source Message",
        readonly=True,
        index="btree_not_null",
        help="Identifier of the status message.",
    )
    attachment_id = fields.Many2one("ir.attachment", string="Source File", readonly=True)
    platform_id = fields.Many2one("adv.einvoice.platform", readonly=True)
    # Statuses the company issues (Encaissée...) are declared later than they are prepared: the KPIs and
    # the "to declare" list read this date; incoming statuses never have one.
    sent_date = fields.Datetime(
        string="Declared On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="For a status the company issues: when the platform received it (sent, or fetched by the "
        "platform). Empty: still to declare.",
    )

    _sql_constraints = [
        (
            "message_unique",
            "unique(company_id, message_id)",
            "A status message is recorded only once per company.",
        )
    ]

    # ------------------------------------------------------------ business methods
    @api.model
    def _receive(self, payloads, platform=None, attachment=None, file_name=None):
        """Record incoming lifecycle statuses: the one entry point of every channel.

        The upload wizard, the mail alias, the HTTP endpoint and any connector (e.g. Odoo's
        ``l10n_fr_pdp``) normalise what they receive into dicts and call this method::

            {
                "message_id": "CDV-2026-000123",  # idempotency key, unique per company
                "invoice_number": "INV/2026/00042",
                "siren": "123456789",             # seller SIREN, optional: tells companies apart
                "code": "210",
                "date": datetime | "2026-09-15 10:30:00" | None,
                "issuer": "platform" | "buyer" | "seller" | None,  # None: the code's own kind
                "reason_code": "...", "reason_text": "...",
                "amount": 1200.0 | None,
                "expected_date": date | "2026-10-15" | None,  # optional: payment date announced
            }

        Each payload is recorded in its own savepoint, with its reactions (see
        ``account.move._adv_einvoice_react``): a refused one leaves nothing behind but its line in the
        import log. Returns the ``adv.einvoice.import.log`` records, one per payload, in order.
        Override ``_adv_find_invoice`` to match invoices another way.
        """
        self._adv_check_receiver()
        logs = self.env["adv.einvoice.import.log"].sudo()
        common = {
            "name": file_name,
            "platform_id": platform.id if platform else False,
            "attachment_id": attachment.id if attachment else False,
        }
        for payload in payloads:
            vals = dict(common, message_id=payload.get("message_id"), code=payload.get("code"))
            try:
                with self.env.cr.savepoint():
                    vals.update(self.sudo()._adv_receive_one(payload, platform, attachment))
            except UserError as error:
                vals.update(state="error", error=error.args[0])
            except IntegrityError:
                # Another import recorded the same message meanwhile (unique per company): nothing doubled.
                vals.update(state="duplicate")
            logs |= logs.create(vals)
        return logs

    @api.model
    def _receive_files(self, attachments, platform=None):
        """Parse CDAR files (``ir.attachment``) and record their statuses with ``_receive``, in the order
        given; an unreadable file gives an error line in the import log. Used by the upload wizard and the
        platform's mail alias. Returns the import log lines."""
        self._adv_check_receiver()
        logs = self.env["adv.einvoice.import.log"]
        for attachment in attachments:
            try:
                payloads = parse_cdar(base64.b64decode(attachment.sudo().datas or b""))
            except ValueError as error:
                logs |= logs.sudo().create(
                    {
                        "name": attachment.name,
                        "state": "error",
                        "error": self.env._(
                            "File %(file)s cannot be read: %(error)s", file=attachment.name, error=error
                        ),
                        "platform_id": platform.id if platform else False,
                        "company_id": platform.company_id.id if platform else self.env.company.id,
                    }
                )
                continue
            file_logs = self._receive(
                payloads, platform=platform, attachment=attachment, file_name=attachment.name
            )
            if not attachment.res_model:
                # An uploaded file now belongs to its import log: readable by the log's readers, not only
                # its uploader.
                attachment.sudo().write({"res_model": file_logs._name, "res_id": file_logs[:1].id})
            logs |= file_logs
        return logs

    @api.model
    def _adv_check_receiver(self):
        if not self.env.su and not self.env.user.has_group(RECEIVER_GROUP):
            raise AccessError(self.env._("Only the ADV team records e-invoicing statuses."))

    @api.model
    def _adv_receive_one(self, payload, platform, attachment):
        """Values of the import log line of one payload (recorded, or a duplicate); UserError otherwise."""
        move = self._adv_find_invoice(payload)
        vals = {"move_id": move.id, "company_id": move.company_id.id}
        message_id = (payload.get("message_id") or "").strip()
        if not message_id:
            raise UserError(
                self.env._("The status message has no identifier: it cannot be imported twice safely.")
            )
        if not move.company_id.adv_einvoicing_enabled:
            raise UserError(
                self.env._("E-invoicing is not switched on for %s (Settings > ADV).", move.company_id.name)
            )
        existing = self.search(
            [("company_id", "=", move.company_id.id), ("message_id", "=", message_id)], limit=1
        )
        if existing:
            return dict(vals, state="duplicate", status_id=existing.id)
        code = self._adv_find_code(payload.get("code"))
        date = self._adv_date(payload.get("date"))
        self._adv_check_sequence(move, code, date)
        status = self.create(
            {
                "move_id": move.id,
                "code_id": code.id,
                "date": date,
                "issuer": payload.get("issuer") or code.kind,
                "reason_code": payload.get("reason_code") or False,
                "reason_text": payload.get("reason_text") or False,
                "amount": payload.get("amount") or 0.0,
                "expected_date": self._adv_expected_date(payload.get("expected_date")),
                "message_id": message_id,
                "attachment_id": attachment.id if attachment else False,
                "platform_id": platform.id if platform else False,
            }
        )
        move._adv_einvoice_react(status)
        return dict(vals, state="done", status_id=status.id)

    @api.model
    def _adv_find_invoice(self, payload):
        """The posted customer invoice or credit note the payload is about, among the user's companies."""
        number = (payload.get("invoice_number") or "").strip()
        if not number:
            raise UserError(self.env._("The status message names no invoice."))
        moves = self.env["account.move"].search(
            [
                ("name", "=", number),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("company_id", "in", self.env.companies.ids),
            ]
        )
        siren = "".join(ch for ch in (payload.get("siren") or "") if ch.isdigit())
        if siren and len(moves) > 1:
            moves = moves.filtered(lambda m: m.company_id._adv_siren() == siren)
        if len(moves) != 1:
            raise UserError(
                self.env._("Invoice %s is unknown: no posted customer invoice has this number.", number)
                if not moves
                else self.env._(
                    "Invoice %s exists in several companies: the message must give the seller's SIREN.",
                    number,
                )
            )
        return moves

    @api.model
    def _adv_find_code(self, code):
        found = self.env["adv.einvoice.status.code"].search([("code", "=", (code or "").strip())], limit=1)
        if not found:
            raise UserError(self.env._("Status code %s is unknown.", code or "-"))
        return found

    @api.model
    def _adv_date(self, value):
        if not value:
            return fields.Datetime.now()
        if isinstance(value, datetime):
            return value
        try:
            return fields.Datetime.to_datetime(value)
        except ValueError as error:
            raise UserError(self.env._("Unreadable status date %s.", value)) from error

    @api.model
    def _adv_expected_date(self, value):
        if not value:
            return False
        try:
            return fields.Date.to_date(value.date() if isinstance(value, datetime) else value)
        except ValueError as error:
            raise UserError(self.env._("Unreadable expected payment date %s.", value)) from error

    @api.model
    def _adv_check_sequence(self, move, code, date):
        """A status cannot follow one that closed the lifecycle (Encaissée, Rejetée), except those the
        closing status accepts (a new deposit after a rejection). Statuses dated before it pass: they
        arrive late, they do not reopen anything."""
        previous = move.adv_einvoice_status_ids.filtered(lambda s: s.date <= date).sorted(
            lambda s: (s.date, s.id)
        )[-1:]
        if previous.code_id.closing and code not in previous.code_id.next_code_ids:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s is already %(previous)s since %(date)s: a %(status)s status cannot "
                    "follow it.",
                    invoice=move.name,
                    previous=previous.code_id.display_name,
                    date=previous.date,
                    status=code.display_name,
                )
            )

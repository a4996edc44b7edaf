import logging
import uuid
from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.adv_order_control.tools import (
    check_owned_fields,
    commit_progress,
    in_cron_run,
    reader_env,
    try_company_lock,
)

from ..tools import write_cdar

_logger = logging.getLogger(__name__)

DECLARER_GROUP = "adv_order_control.group_adv_user"
COLLECTED = "212"
COMPLETED = "209"
# Written by the outgoing flows only (preparation, download/mark, mail, platform fetch), as superuser after
# their own group check: no user writes them, through the form or RPC.
OWNED_FIELDS = dict.fromkeys(("sent_date", "outgoing", "partial_id", "dispute_id"))
# The one field the ADV team writes itself: the platform of a status still to declare (an invoice that
# never received a status, in a company with several platforms, has none until someone chooses it).
USER_FIELDS = ("platform_id",)


class AdvEinvoiceStatus(models.Model):
    """Statuses the company issues: Encaissée (212) on collection, Complétée (209) answering a dispute.

    Prepared as a status line with its CDAR file (``attachment_id``), then declared through one of three
    channels (file downloaded and uploaded on the platform's portal then "Mark as Declared", mail to the
    platform, or fetched by the platform from ``/adv/einvoicing/<platform>/outgoing``), which sets
    ``sent_date``: the one date saying the status was declared."""

    _inherit = "adv.einvoice.status"

    outgoing = fields.Boolean(
        readonly=True,
        index=True,
        help="A status the company issues and declares to its platform (Encaissée, answer to a dispute).",
    )
    partial_id = fields.Many2one(
        "account.partial.reconcile",
        string="Collection",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The reconciliation of the payment this Encaissée status declares.",
    )
    dispute_id = fields.Many2one(
        "adv.dispute",
        string="Answered Dispute",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer")

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        if not self.env.su:
            self._adv_check_user_write(vals)
        return super().write(vals)

    def _adv_check_user_write(self, vals):
        """Users write statuses only to choose the platform of a status the company issues and has not
        declared yet; everything else is written by the flows (as superuser)."""
        check_owned_fields(self, vals, dict.fromkeys(set(vals) - set(USER_FIELDS)))
        if not any(fname in vals for fname in USER_FIELDS):
            return
        self._adv_check_declarer()
        if self.filtered(lambda s: not s.outgoing or s.sent_date):
            raise UserError(
                self.env._(
                    "The platform can only be chosen on a status the company issues, before it is declared."
                )
            )
        platform = self.env["adv.einvoice.platform"].sudo().browse(vals["platform_id"])
        if platform and self.filtered(lambda s: s.company_id != platform.company_id):
            raise UserError(
                self.env._("Choose a platform of the invoice's company (%s).", self.company_id[:1].name)
            )

    # ------------------------------------------------------------ actions
    def action_adv_download(self):
        """The CDAR file, to upload on the platform's portal (then "Mark as Declared")."""
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("Status %s has no file.", self.message_id or self.display_name))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "download",
        }

    def action_adv_mark_declared(self):
        """Declared by hand (file uploaded on the platform's portal)."""
        self._adv_pending_to_declare()._adv_mark_declared()
        return True

    def action_adv_send_to_platform(self):
        """Mail the files to each status's platform, one mail per platform, and mark them declared."""
        statuses = self._adv_pending_to_declare()
        statuses._adv_fill_default_platform()
        no_platform = statuses.filtered(lambda s: not s.platform_id)
        if no_platform:
            raise UserError(
                self.env._(
                    "Choose the platform of status(es) %s: open the status and set its Platform.",
                    ", ".join(no_platform.mapped("message_id")),
                )
            )
        missing = statuses.filtered(lambda s: not s.platform_id.email)
        if missing:
            raise UserError(
                self.env._(
                    "Give a mail address to the platform of status(es) %s (ADV > Configuration > "
                    "E-Invoicing Platforms).",
                    ", ".join(missing.mapped("message_id")),
                )
            )
        for platform, group in statuses.grouped("platform_id").items():
            group._adv_mail_to(platform)
        statuses._adv_mark_declared()
        return True

    # ------------------------------------------------------------ business methods
    @api.model
    def _adv_check_declarer(self):
        if not self.env.su and not self.env.user.has_group(DECLARER_GROUP):
            raise AccessError(self.env._("Only the ADV team declares e-invoicing statuses."))

    def _adv_pending_to_declare(self):
        """These statuses, once the user is allowed to declare, as superuser: those still to declare."""
        self._adv_check_declarer()
        self.check_access("read")
        statuses = self.sudo()
        if statuses.filtered(lambda s: not s.outgoing):
            raise UserError(self.env._("Only the statuses the company issues are declared."))
        return statuses.filtered(lambda s: not s.sent_date)

    def _adv_fill_default_platform(self):
        """Statuses without a platform take the default one now (the company may have kept a single
        active platform since they were prepared)."""
        unset = self.filtered(lambda s: not s.platform_id)
        if not unset:
            return
        defaults = self._adv_default_platforms(unset.move_id)
        for platform_id, group in unset.grouped(lambda s: defaults.get(s.move_id.id)).items():
            if platform_id:
                group.sudo().write({"platform_id": platform_id})

    def _adv_mark_declared(self, platform=None):
        """Record the declaration (``sent_date``), with the platform that took the statuses when given."""
        vals = {"sent_date": fields.Datetime.now()}
        if platform:
            vals["platform_id"] = platform.id
        self.sudo().write(vals)

    def _adv_mail_to(self, platform):
        """Queue one mail with these statuses' files to ``platform``'s address (logged on the platform)."""
        company = platform.company_id
        env = platform.with_context(lang=company.partner_id.lang).env
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "email_to": platform.email,
                    "email_from": company.email_formatted or self.env.user.email_formatted,
                    "subject": env._("Lifecycle statuses of %s", company.name),
                    "body_html": Markup("<p>%s</p>")
                    % env._(
                        "Lifecycle status files (CDAR) of %(company)s: %(count)s",
                        company=company.name,
                        count=len(self),
                    ),
                    "attachment_ids": [Command.link(a.id) for a in self.attachment_id],
                    "model": platform._name,
                    "res_id": platform.id,
                    "auto_delete": False,
                }
            )
        )

    @api.model
    def _adv_prepare_outgoing(self, vals_list):
        """Create statuses the company issues, each with a new message identifier and its CDAR file.

        ``vals_list``: dicts with ``move_id``, ``code`` (e.g. "212") and optionally ``date``, ``amount``,
        ``reason_code``, ``reason_text``, ``partial_id``, ``dispute_id``, ``platform_id`` (default: the
        platform the invoice's statuses came from, else the company's only platform). Runs as superuser:
        the callers are flows (reconciliation, dispute resolution) that checked their own rights."""
        if not vals_list:
            return self.browse()
        self = self.sudo()
        codes = {c.code: c for c in self.env["adv.einvoice.status.code"].search([])}
        moves = self.env["account.move"].browse({vals["move_id"] for vals in vals_list})
        platforms = self._adv_default_platforms(moves)
        create_list = []
        for vals in vals_list:
            move = moves.browse(vals["move_id"])
            code = codes.get(vals["code"])
            if not code:
                raise UserError(self.env._("Status code %s is unknown.", vals["code"]))
            date = vals.get("date") or fields.Datetime.now()
            create_list.append(
                {
                    "move_id": move.id,
                    "code_id": code.id,
                    "date": date.replace(microsecond=0),
                    "issuer": "seller",
                    "outgoing": True,
                    "amount": vals.get("amount") or 0.0,
                    "reason_code": vals.get("reason_code") or False,
                    "reason_text": vals.get("reason_text") or False,
                    "message_id": self._adv_new_message_id(move.company_id),
                    "partial_id": vals.get("partial_id") or False,
                    "dispute_id": vals.get("dispute_id") or False,
                    "platform_id": vals.get("platform_id") or platforms.get(move.id, False),
                }
            )
        statuses = self.create(create_list)
        statuses._adv_attach_files()
        return statuses

    @api.model
    def _adv_new_message_id(self, company):
        """A message identifier no platform has seen: our SIREN (else company id), a random part."""
        return f"CDV-SE-{company._adv_siren() or company.id}-{uuid.uuid4().hex[:20].upper()}"

    @api.model
    def _adv_default_platforms(self, moves):
        """{invoice id: platform id}: the platform the invoice's statuses came from, else the company's
        only active platform."""
        result = {}
        company_platforms = (
            self.env["adv.einvoice.platform"]
            .sudo()
            ._read_group([("company_id", "in", moves.company_id.ids)], ["company_id"], ["id:array_agg"])
        )
        single = {company.id: ids[0] for company, ids in company_platforms if len(ids) == 1}
        for move in moves:
            received = move.adv_einvoice_status_ids.filtered("platform_id").sorted(lambda s: (s.date, s.id))
            result[move.id] = received[-1:].platform_id.id or single.get(move.company_id.id, False)
        return result

    def _adv_cdar_payload(self):
        self.ensure_one()
        return {
            "message_id": self.message_id,
            "invoice_number": self.move_id.name,
            "siren": self.company_id._adv_siren(),
            "code": self.code,
            "date": self.date,
            "issuer": "seller",
            "reason_code": self.reason_code or "",
            "reason_text": self.reason_text or "",
            "amount": self.amount if self.currency_id and not self.currency_id.is_zero(self.amount) else None,
        }

    def _adv_attach_files(self):
        """Write each status's CDAR file as its attachment (one batch of attachments)."""
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{status.message_id}.xml",
                        "raw": write_cdar(
                            status._adv_cdar_payload(),
                            invoice_date=status.move_id.invoice_date,
                            invoice_type="381" if status.move_id.move_type == "out_refund" else "380",
                        ),
                        "mimetype": "application/xml",
                        "res_model": self._name,
                        "res_id": status.id,
                    }
                    for status in self
                ]
            )
        )
        for status, attachment in zip(self, attachments, strict=True):
            status.attachment_id = attachment

    def _adv_withdraw(self, reason):
        """These outgoing statuses no longer hold (payment unreconciled, dispute reopened): those still to
        declare are removed with their file; a declared one cannot be unsent, so the invoice gets a note and
        its ADV agent an activity to correct it on the platform."""
        statuses = self.sudo()
        pending = statuses.filtered(lambda s: not s.sent_date)
        pending.unlink()  # their files go with them (attachments of the status)
        for status in statuses - pending:
            move = status.move_id
            agent = move._adv_einvoice_agent()
            env = reader_env(self.env, agent)
            note = env._(
                "Status %(status)s (%(message)s, %(amount)s) was declared to the platform on %(date)s, but "
                "%(reason)s. A declared status cannot be withdrawn: correct it on the platform.",
                status=status.code_id.display_name,
                message=status.message_id,
                amount=status.amount,
                date=status.sent_date,
                reason=reason(env) if callable(reason) else reason,
            )
            move.message_post(body=note)
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Declared e-invoicing status to correct on the platform"),
                note=note,
                user_id=agent.id,
            )

    # ------------------------------------------------------------ daily reminder
    @api.model
    def _cron_remind_undeclared(self):
        """Daily job: the invoice's ADV agent gets one activity per invoice whose Encaissée status is still
        undeclared after the company's delay, once (an open reminder is not repeated). Company by company,
        each committed in a cron run; a company being processed elsewhere is skipped."""
        groups = self.sudo()._read_group(
            [
                ("outgoing", "=", True),
                ("sent_date", "=", False),
                ("company_id.adv_einvoicing_enabled", "=", True),
            ],
            ["company_id"],
        )
        companies = self.env["res.company"].union(*(company for [company] in groups)).sorted("id")
        for done, company in enumerate(companies, start=1):
            try:
                with self.env.cr.savepoint():
                    if try_company_lock(self.env, "adv_einvoice_declarations", company.id):
                        self._adv_remind_company(company)
            except Exception:
                if not in_cron_run(self.env):
                    raise
                _logger.exception(
                    "E-invoicing reminders of %s failed; the other companies go on", company.name
                )
            commit_progress(self.env, done, len(companies) - done)

    @api.model
    def _adv_remind_company(self, company):
        """Activities for ``company``'s late undeclared collections; returns the activities created."""
        activity_type = self.env.ref("adv_einvoicing.mail_activity_type_declare_status")
        since = datetime.combine(
            fields.Date.context_today(self) - timedelta(days=company.adv_einvoice_declare_delay), time.max
        )
        late = (
            self.sudo()
            .with_company(company)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("outgoing", "=", True),
                    ("sent_date", "=", False),
                    ("code", "=", COLLECTED),
                    ("date", "<=", since),
                ]
            )
        )
        activities = self.env["mail.activity"].sudo()
        reminded = activities.search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "in", late.move_id.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        todo = late.move_id.sudo() - self.env["account.move"].browse(reminded.mapped("res_id"))
        if not todo:
            return activities
        model_id = self.env["ir.model"]._get_id("account.move")
        today = fields.Date.context_today(self)
        by_move = late.grouped("move_id")
        vals_list = []
        for move in todo:
            agent = move._adv_einvoice_agent()
            env = reader_env(self.env, agent)
            statuses = by_move[move]
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": move.id,
                    "activity_type_id": activity_type.id,
                    "user_id": agent.id,
                    "date_deadline": today,
                    "summary": env._("Declare the collection to the e-invoicing platform"),
                    "note": env._(
                        "Invoice %(invoice)s: %(count)s collection(s) (%(amount)s) not declared Encaissée "
                        "yet (ADV > E-Invoicing > Collections to Declare).",
                        invoice=move.name,
                        count=len(statuses),
                        amount=sum(statuses.mapped("amount")),
                    ),
                }
            )
        return activities.create(vals_list)

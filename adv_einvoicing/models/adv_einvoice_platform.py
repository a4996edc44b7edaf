import hashlib
import hmac

from odoo import api, fields, models, tools


class AdvEinvoicePlatform(models.Model):
    _name = "adv.einvoice.platform"
    _description = "Approved E-Invoicing Platform"
    _inherit = ["mail.thread", "mail.alias.mixin.optional"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    email = fields.Char(string="Mail Address", help="Where the platform takes the statuses we send.")
    token = fields.Char(
        string="New Secret Token",
        compute="_compute_token",
        inverse="_inverse_token",
        help="Typed once, stored only as a hash: the platform presents it to push statuses.",
    )
    token_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    has_token = fields.Boolean(compute="_compute_has_token")
    active = fields.Boolean(default=True)

    # ------------------------------------------------------------ compute methods
    def _compute_token(self):
        self.token = False

    def _inverse_token(self):
        for platform in self.filtered("token"):
            platform.sudo().token_hash = self._hash_token(platform.token)

    @api.depends("token")
    def _compute_has_token(self):
        for platform in self:
            platform.has_token = bool(platform.sudo().token_hash)

    # ------------------------------------------------------------ mail gateway
    def _alias_get_creation_values(self):
        """Mail sent to the platform's alias lands on the platform: its CDAR attachments are imported."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id(self._name)
        if self.id:
            values["alias_force_thread_id"] = self.id
        return values

    def _message_post_after_hook(self, message, msg_values):
        if message.message_type == "email" and message.attachment_ids:
            self._adv_import_mail(message)
        return super()._message_post_after_hook(message, msg_values)

    def _adv_import_mail(self, message):
        """Import the status files of an email received from the platform (the mail gateway runs as
        superuser: the platform's address is the gate). Returns the import log lines."""
        self.ensure_one()
        platform = self.sudo().with_context(allowed_company_ids=self.company_id.ids)
        sender = tools.email_normalize(message.email_from)
        if self.email and sender != tools.email_normalize(self.email):
            return platform.env["adv.einvoice.import.log"].create(
                {
                    "name": message.subject,
                    "state": "error",
                    "error": self.env._(
                        "Mail from %(sender)s ignored: the platform %(platform)s sends from %(address)s.",
                        sender=message.email_from,
                        platform=self.name,
                        address=self.email,
                    ),
                    "platform_id": self.id,
                    "company_id": self.company_id.id,
                }
            )
        files = message.attachment_ids.filtered(
            lambda a: (a.name or "").lower().endswith(".xml") or "xml" in (a.mimetype or "")
        ).sorted("id")
        return platform.env["adv.einvoice.status"]._receive_files(files, platform=platform)

    # ------------------------------------------------------------ business methods
    @api.model
    def _hash_token(self, token):
        return hashlib.sha256(token.encode()).hexdigest()

    def _check_token(self, token):
        """Whether ``token`` is this platform's secret, compared in constant time."""
        self.ensure_one()
        stored = self.sudo().token_hash
        return bool(stored and token) and hmac.compare_digest(stored, self._hash_token(token))

    def _adv_check_token_or_none(self, token):
        """``_check_token`` on this platform, or on none (an unknown or archived platform): the same
        hashing and constant-time comparison run, so that the time taken does not tell them apart."""
        if self:
            return self._check_token(token)
        hmac.compare_digest(self._hash_token("-"), self._hash_token(token or "-"))
        return False

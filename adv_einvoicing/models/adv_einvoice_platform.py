import hashlib
import hmac

from odoo import api, fields, models


class AdvEinvoicePlatform(models.Model):
    _name = "adv.einvoice.platform"
    _description = "Approved E-Invoicing Platform"
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

    # ------------------------------------------------------------ business methods
    @api.model
    def _hash_token(self, token):
        return hashlib.sha256(token.encode()).hexdigest()

    def _check_token(self, token):
        """Whether ``token`` is this platform's secret, compared in constant time."""
        self.ensure_one()
        stored = self.sudo().token_hash
        return bool(stored and token) and hmac.compare_digest(stored, self._hash_token(token))

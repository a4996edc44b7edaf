from datetime import timedelta

from odoo import api, fields, models

# Wrong tokens accepted per platform id and minute before every request to it waits (429): guessing a
# token is throttled; the platform itself retries after the minute.
AUTH_FAILURE_LIMIT = 20


class AdvEinvoiceAuthFailure(models.Model):
    _name = "adv.einvoice.auth.failure"
    _description = "E-Invoicing Endpoint Authentication Failure"
    _log_access = False

    # The platform id as requested, not a foreign key: an unknown id is counted like a known one, so
    # that the answers do not tell which platforms exist.
    platform_ref = fields.Integer(required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, index=True, readonly=True, default=fields.Datetime.now)

    @api.model
    def _is_throttled(self, platform_ref):
        since = fields.Datetime.now() - timedelta(minutes=1)
        return (
            self.search_count(
                [("platform_ref", "=", platform_ref), ("date", ">=", since)], limit=AUTH_FAILURE_LIMIT
            )
            >= AUTH_FAILURE_LIMIT
        )

    @api.model
    def _record(self, platform_ref):
        self.create({"platform_ref": platform_ref})

    @api.autovacuum
    def _gc_failures(self):
        self.search([("date", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()

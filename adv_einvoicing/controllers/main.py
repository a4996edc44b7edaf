import json
from datetime import timedelta

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

MAX_BODY = 1024 * 1024  # a status message is a few kilobytes; a batch stays far below 1 MiB
RATE_LIMIT = 300  # status messages per platform and minute


class AdvEinvoicingController(http.Controller):
    @http.route(
        "/adv/einvoicing/<int:platform_id>/status",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def receive_status(self, platform_id, **kwargs):
        """A platform pushes statuses: CDAR XML, or JSON ``{"statuses": [{...}]}`` with the normalised
        dicts of ``adv.einvoice.status._receive``. Authenticated by the platform's secret token
        (``Authorization: Bearer <token>``). Answers JSON: 200 recorded (per-message results), 400
        unreadable or refused, 401 unknown platform or wrong token, 409 every message already recorded,
        429 over the platform's rate or too many wrong tokens for that platform id."""
        env = request.env(user=SUPERUSER_ID)
        failures = env["adv.einvoice.auth.failure"]
        # Wrong tokens are throttled per platform id, and an unknown id goes through the same steps
        # (count, hash, compare, record) as a known one: same answers, same work, nothing to enumerate.
        if failures._is_throttled(platform_id):
            return self._answer(429, error="Too many failed attempts: retry in a minute.")
        platform = env["adv.einvoice.platform"].browse(platform_id).exists().filtered("active")
        token = (request.httprequest.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if not platform._adv_check_token_or_none(token):
            failures._record(platform_id)
            return self._answer(401, error="Unknown platform or wrong token.")
        length = request.httprequest.content_length
        if not length or length > MAX_BODY:
            return self._answer(400, error=f"The body must hold between 1 byte and {MAX_BODY} bytes.")
        since = fields.Datetime.now() - timedelta(minutes=1)
        recent = env["adv.einvoice.import.log"].search_count(
            [("platform_id", "=", platform.id), ("create_date", ">=", since)]
        )
        if recent >= RATE_LIMIT:
            return self._answer(429, error="Too many status messages: retry in a minute.")
        body = request.httprequest.get_data()  # cached: a retried transaction reads it again
        statuses = env["adv.einvoice.status"].with_context(allowed_company_ids=platform.company_id.ids)
        if "json" in (request.httprequest.mimetype or ""):
            try:
                data = json.loads(body)
                payloads = data["statuses"] if isinstance(data, dict) else data
                if not isinstance(payloads, list) or not all(isinstance(p, dict) for p in payloads):
                    raise ValueError("statuses must be a list of objects")
            except (ValueError, KeyError) as error:
                return self._answer(400, error=f"Unreadable JSON: {error}")
            logs = statuses._receive(payloads, platform=platform, file_name="json")
        else:
            attachment = env["ir.attachment"].create(
                {
                    "name": f"status-{fields.Datetime.now():%Y%m%d-%H%M%S}.xml",
                    "raw": body,
                    "res_model": platform._name,
                    "res_id": platform.id,
                }
            )
            logs = statuses._receive_files(attachment, platform=platform)
        results = [
            {
                "message_id": log.message_id,
                "state": log.state,
                "invoice": log.move_id.name or None,
                "error": log.error or None,
            }
            for log in logs
        ]
        states = set(logs.mapped("state"))
        status = 200 if "done" in states else 409 if states == {"duplicate"} else 400
        return self._answer(status, results=results)

    def _answer(self, status, **data):
        return request.make_json_response(data, status=status)

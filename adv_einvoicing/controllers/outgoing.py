import base64
import json

from odoo import SUPERUSER_ID, http
from odoo.http import request

MAX_FETCH = 200  # statuses per answer; the platform fetches again while "more" is true
MAX_ACK_BODY = 256 * 1024


class AdvEinvoicingOutgoingController(http.Controller):
    """Platforms that fetch the statuses we issue (Encaissée, answers to disputes) instead of receiving them
    by mail. Same authentication as the push endpoint: ``Authorization: Bearer <platform token>``, checked
    in constant time. Fetching declares nothing: the platform acknowledges what it took."""

    @http.route(
        "/adv/einvoicing/<int:platform_id>/outgoing",
        type="http",
        auth="none",
        methods=["GET"],
        csrf=False,
        save_session=False,
        readonly=True,
    )
    def fetch_outgoing(self, platform_id, **kwargs):
        """200 ``{"statuses": [{message_id, invoice_number, code, date, amount, file_name, content}],
        "more": bool}`` (``content``: the CDAR file, base64), oldest first; 401 unknown platform or wrong
        token. The same statuses come again until acknowledged."""
        platform = self._platform(platform_id)
        if not platform:
            return self._answer(401, error="Unknown platform or wrong token.")
        statuses = self._statuses(platform, [("sent_date", "=", False)], limit=MAX_FETCH + 1)
        return self._answer(
            200,
            statuses=[
                {
                    "message_id": status.message_id,
                    "invoice_number": status.move_id.name,
                    "code": status.code,
                    "date": status.date.isoformat(sep=" "),
                    "amount": status.amount or None,
                    "file_name": status.attachment_id.name,
                    "content": base64.b64encode(status.attachment_id.raw or b"").decode(),
                }
                for status in statuses[:MAX_FETCH]
            ],
            more=len(statuses) > MAX_FETCH,
        )

    @http.route(
        "/adv/einvoicing/<int:platform_id>/outgoing/ack",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def acknowledge_outgoing(self, platform_id, **kwargs):
        """JSON ``{"message_ids": [...]}``: the statuses the platform took are declared (``sent_date``).
        200 with one result per identifier: ``declared`` now, ``already`` declared (a retry changes
        nothing), ``unknown``; 400 unreadable body; 401 unknown platform or wrong token."""
        platform = self._platform(platform_id)
        if not platform:
            return self._answer(401, error="Unknown platform or wrong token.")
        length = request.httprequest.content_length
        if not length or length > MAX_ACK_BODY:
            return self._answer(400, error=f"The body must hold between 1 byte and {MAX_ACK_BODY} bytes.")
        try:
            data = json.loads(request.httprequest.get_data())
            message_ids = data["message_ids"]
            if not isinstance(message_ids, list) or not all(isinstance(m, str) for m in message_ids):
                raise ValueError("message_ids must be a list of strings")
        except (ValueError, KeyError, TypeError) as error:
            return self._answer(400, error=f"Unreadable JSON: {error}")
        statuses = self._statuses(platform, [("message_id", "in", message_ids)])
        by_id = {status.message_id: status for status in statuses}
        pending = statuses.filtered(lambda s: not s.sent_date)
        pending._adv_mark_declared(platform=platform)
        results = [
            {
                "message_id": message_id,
                "state": "unknown"
                if message_id not in by_id
                else "declared"
                if by_id[message_id] in pending
                else "already",
            }
            for message_id in message_ids
        ]
        return self._answer(200, results=results)

    def _platform(self, platform_id):
        env = request.env(user=SUPERUSER_ID)
        platform = env["adv.einvoice.platform"].browse(platform_id).exists()
        token = (request.httprequest.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if not platform or not platform.active or not platform._check_token(token):
            return None
        return platform

    def _statuses(self, platform, domain, limit=None):
        """Search the statuses this platform may fetch (issued by its company, for it or for no platform
        yet) among ``domain``."""
        statuses = platform.env["adv.einvoice.status"].with_context(
            allowed_company_ids=platform.company_id.ids
        )
        scope = [
            ("outgoing", "=", True),
            ("company_id", "=", platform.company_id.id),
            ("platform_id", "in", [platform.id, False]),
        ]
        return statuses.search(scope + domain, order="date, id", limit=limit)

    def _answer(self, status, **data):
        return request.make_json_response(data, status=status)

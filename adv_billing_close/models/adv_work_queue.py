from odoo import api, fields, models

from odoo.addons.adv_order_control.models.adv_work_queue import WorkQueueSpec

# Lines of the board still to invoice (not invoiced, not deferred) in a period not closed yet.
CURRENT_CLOSE = [("state", "in", ("todo", "ready", "escalated")), ("period_id.state", "!=", "closed")]


class AdvWorkQueue(models.Model):
    _inherit = "adv.work.queue"

    code = fields.Selection(
        selection_add=[
            ("preinvoice_easy", "Easy items to invoice in the current close"),
            ("preinvoice_blocked", "Blocked items to invoice in the current close"),
            ("timesheets_missing", "Timesheets missing"),
        ],
        ondelete={
            "preinvoice_easy": "cascade",
            "preinvoice_blocked": "cascade",
            "timesheets_missing": "cascade",
        },
    )

    @api.model
    def _get_queue_specs(self):
        return dict(
            super()._get_queue_specs(),
            preinvoice_easy=WorkQueueSpec(
                model="adv.preinvoice",
                domain=[*CURRENT_CLOSE, ("category", "=", "easy")],
                action="adv_billing_close.action_adv_preinvoice",
                amount_field="amount_to_invoice",
            ),
            preinvoice_blocked=WorkQueueSpec(
                model="adv.preinvoice",
                domain=[*CURRENT_CLOSE, ("category", "=", "blocked")],
                action="adv_billing_close.action_adv_preinvoice",
                amount_field="amount_to_invoice",
            ),
            timesheets_missing=WorkQueueSpec(
                model="adv.timesheet.submission",
                domain=[("is_late", "=", True), ("period_id.state", "!=", "closed")],
                action="adv_billing_close.action_adv_timesheet_submission",
            ),
        )

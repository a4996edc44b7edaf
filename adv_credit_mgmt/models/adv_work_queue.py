from odoo import api, fields, models

from odoo.addons.adv_order_control.models.adv_work_queue import WorkQueueSpec

from .adv_dispute import OPEN_STATES


class AdvWorkQueue(models.Model):
    _inherit = "adv.work.queue"

    code = fields.Selection(
        selection_add=[
            ("credit_hold", "Orders on credit hold"),
            ("reminders_today", "Payment reminders due today"),
            ("disputes_late", "Disputes past their deadline"),
        ],
        ondelete={"credit_hold": "cascade", "reminders_today": "cascade", "disputes_late": "cascade"},
    )

    @api.model
    def _get_queue_specs(self):
        today = fields.Date.context_today(self)
        return dict(
            super()._get_queue_specs(),
            credit_hold=WorkQueueSpec(
                model="sale.order",
                domain=[("adv_credit_hold", "=", True)],
                action="adv_credit_mgmt.action_adv_credit_hold_orders",
                amount_field="amount_untaxed",
            ),
            reminders_today=WorkQueueSpec(
                model="adv.collection.queue",
                domain=[],
                action="adv_credit_mgmt.action_adv_collection_queue",
                amount_field="amount_residual",
            ),
            disputes_late=WorkQueueSpec(
                model="adv.dispute",
                domain=[("state", "in", OPEN_STATES), ("deadline", "<", today)],
                action="adv_credit_mgmt.action_adv_dispute",
                amount_field="amount_disputed",
            ),
        )

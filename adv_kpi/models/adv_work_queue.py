from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.adv_order_control.models.adv_work_queue import WorkQueueSpec

# Health card code -> signal code (adv.kpi.signal).
HEALTH_SIGNALS = {
    "health_billing_delay": "billing_delay",
    "health_late_reminders": "late_reminders",
    "health_dso": "dso",
    "health_credit_notes": "credit_notes",
    "health_team_load": "team_load",
}
COLOUR_RANK = {"green": 0, "amber": 1, "red": 2}


class AdvWorkQueue(models.Model):
    _inherit = "adv.work.queue"

    code = fields.Selection(
        selection_add=[
            ("health_billing_delay", "Health: invoices go out later"),
            ("health_late_reminders", "Health: payment reminders not done on time"),
            ("health_dso", "Health: DSO above threshold"),
            ("health_credit_notes", "Health: credit notes or disputes rising"),
            ("health_team_load", "Health: ADV team overloaded"),
        ],
        ondelete=dict.fromkeys(HEALTH_SIGNALS, "cascade"),
    )

    # ------------------------------------------------------------ compute methods
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_figures(self):
        """Health cards count the records behind their signal (super) and show the signal itself: its
        value, unit and colour (the worst one when the card covers several companies)."""
        if "health_dso" in self.mapped("code"):
            # The exposure table is written by database triggers: what is pending in this transaction
            # (an invoice just posted) reaches them before the card counts.
            self.env["adv.credit.exposure"]._flush_sources()
        result = super()._compute_figures()
        health = self.filtered(lambda card: card.code in HEALTH_SIGNALS)
        if not health:
            return result
        companies = self.env["res.company"].union(*(card._queue_companies() for card in health))
        signals = self.env["adv.kpi.signal"].search(
            [
                ("code", "in", [HEALTH_SIGNALS[code] for code in set(health.mapped("code"))]),
                ("company_id", "in", companies.ids),
            ]
        )
        for card in health:
            mine = signals.filtered(
                lambda s, c=card: s.code == HEALTH_SIGNALS[c.code] and s.company_id in c._queue_companies()
            )
            if not mine:
                card.figure_label = self.env._("not computed yet")
                continue
            worst = max(mine, key=lambda s: (COLOUR_RANK[s.colour], s.value))
            card.state = worst.colour
            if not worst.has_value:
                card.figure_label = self.env._("not meaningful")
                continue
            card.figure_label = self.env._(
                "%(value)s %(unit)s (red from %(red)s)",
                value=worst._format_value(),
                unit=worst.unit,
                red=worst._format_value(worst.red_threshold),
            )
        return result

    # ------------------------------------------------------------ business methods
    @api.model
    def _get_queue_specs(self):
        """Each Health card opens the records its signal stands on."""
        today = fields.Date.context_today(self)
        last_month = today.replace(day=1) - relativedelta(months=1)
        last_month_domain = [
            ("invoice_date", ">=", last_month),
            ("invoice_date", "<", last_month + relativedelta(months=1)),
        ]
        return dict(
            super()._get_queue_specs(),
            health_billing_delay=WorkQueueSpec(
                model="adv.kpi.invoice.report",
                domain=[("move_type", "=", "out_invoice"), *last_month_domain],
                action="adv_kpi.action_adv_kpi_invoice_report",
                amount_field="amount_untaxed",
            ),
            health_late_reminders=WorkQueueSpec(
                model="adv.collection.queue",
                domain=[],
                action="adv_credit_mgmt.action_adv_collection_queue",
                amount_field="amount_residual",
            ),
            # The customers whose overdue debts make the DSO, by the one definition of the buckets
            # (adv_credit_mgmt's tools/receivables.py, kept per customer in the exposure): open credit
            # notes netted, overdue from the day after the due date. The card's amount is the list's
            # total of the Overdue column.
            health_dso=WorkQueueSpec(
                model="adv.credit.exposure",
                domain=[("amount_overdue", ">", 0)],
                action="adv_credit_mgmt.action_adv_credit_exposure",
                amount_field="amount_overdue",
            ),
            health_credit_notes=WorkQueueSpec(
                model="account.move",
                domain=[("move_type", "=", "out_refund"), ("state", "=", "posted"), *last_month_domain],
                action="account.action_move_out_refund_type",
                amount_field="amount_total_signed",
            ),
            health_team_load=WorkQueueSpec(
                model="adv.preinvoice",
                domain=[("state", "in", ("todo", "escalated")), ("period_id.state", "!=", "closed")],
                action="adv_billing_close.action_adv_preinvoice",
                amount_field="amount_to_invoice",
                context={"group_by": ["user_id"]},
            ),
        )

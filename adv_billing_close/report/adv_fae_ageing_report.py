from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.adv_order_control.tools import local_today_sql


class AdvFaeAgeingReport(models.Model):
    _name = "adv.fae.ageing.report"
    _description = "Unbilled Items Ageing"
    _auto = False
    _order = "age_days desc"

    preinvoice_id = fields.Many2one("adv.preinvoice", readonly=True)
    period_id = fields.Many2one("adv.billing.period", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    reason_id = fields.Many2one("adv.blocker.type", readonly=True)
    owner_id = fields.Many2one("res.users", readonly=True)
    defer_reason = fields.Text(
        string="Deferral Reason", readonly=True, help="The reason typed when deferring."
    )
    state = fields.Selection(
        [("todo", "To Do"), ("ready", "Ready"), ("deferred", "Deferred"), ("escalated", "Escalated")],
        readonly=True,
    )
    escalation_level = fields.Integer(readonly=True, aggregator="max")
    amount = fields.Monetary(readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="avg")
    age_bucket = fields.Selection(
        [
            ("0_30", "0-30 days"),
            ("31_60", "31-60 days"),
            ("61_90", "61-90 days"),
            ("90_plus", "Over 90 days"),
        ],
        readonly=True,
    )

    @property
    def _table_query(self):
        # Age counts from the end of the period whose work is still unbilled, to the company's today.
        today = local_today_sql(SQL("cp.tz")).code
        return f"""
            SELECT l.id, l.id AS preinvoice_id, l.period_id, l.order_id, l.partner_id, l.company_id,
                   c.currency_id, l.state, l.escalation_level, l.amount_to_invoice AS amount,
                   l.defer_reason,
                   COALESCE(l.escalation_reason_id, (
                       SELECT MIN(r.adv_blocker_type_id) FROM adv_blocker_type_adv_preinvoice_rel r
                        WHERE r.adv_preinvoice_id = l.id)) AS reason_id,
                   COALESCE(l.escalation_owner_id, l.user_id) AS owner_id,
                   {today} - p.date_end AS age_days,
                   CASE WHEN {today} - p.date_end <= 30 THEN '0_30'
                        WHEN {today} - p.date_end <= 60 THEN '31_60'
                        WHEN {today} - p.date_end <= 90 THEN '61_90'
                        ELSE '90_plus' END AS age_bucket
              FROM adv_preinvoice l
              JOIN adv_billing_period p ON p.id = l.period_id
              JOIN res_company c ON c.id = l.company_id
              JOIN res_partner cp ON cp.id = c.partner_id
             WHERE l.state IN ('todo', 'ready', 'deferred', 'escalated')
               AND p.date_end < {today}
        """

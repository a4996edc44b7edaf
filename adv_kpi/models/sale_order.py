from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    adv_agent_id = fields.Many2one(
        "res.users",
        string="ADV Agent",
        index="btree_not_null",
        copy=False,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Sales administration agent who handled the order: the internal user who confirmed it, unless "
        "changed. Used by the productivity KPIs.",
    )

    # ------------------------------------------------------------------ business
    def _prepare_confirmation_values(self):
        values = super()._prepare_confirmation_values()
        # Portal, payment and cron confirmations run as public user or superuser: they handle nothing.
        user = self.env.user
        if not self.env.su and user._is_internal() and not self.filtered("adv_agent_id"):
            values["adv_agent_id"] = user.id
        return values

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class AdvKpiRecomputeWizard(models.TransientModel):
    _name = "adv.kpi.recompute.wizard"
    _description = "ADV KPI: Recompute Snapshots"

    date_from = fields.Date(
        string="From Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=12),
    )
    date_to = fields.Date(
        string="To Month", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    # ------------------------------------------------------------------ constraints
    @api.constrains("company_ids")
    def _check_company_ids(self):
        for wizard in self:
            wizard._check_allowed_companies()

    # ------------------------------------------------------------------ actions
    def action_recompute(self):
        """Recompute the months of the range (closed billing periods stay frozen), then the signals."""
        self.ensure_one()
        if not self.env.user.has_group("adv_order_control.group_adv_manager"):
            raise AccessError(self.env._("Only an ADV Manager can recompute the KPI snapshots."))
        # The snapshots are written as superuser: the companies must be the user's own.
        self._check_allowed_companies()
        snapshots = self.env["adv.kpi.snapshot"].sudo()
        snapshots._compute_months(self.company_ids, self.date_from, self.date_to)
        self.env["adv.kpi.signal"]._refresh(self.company_ids)
        action = self.env["ir.actions.act_window"]._for_xml_id("adv_kpi.action_adv_kpi_snapshot")
        action["domain"] = [("company_id", "in", self.company_ids.ids)]
        return action

    # ------------------------------------------------------------------ business
    def _check_allowed_companies(self):
        """Refuse companies other than the user's allowed ones (the snapshots are recomputed as
        superuser; Odoo checks the allowed companies against the user's own)."""
        if self.env.su:
            return
        foreign = self.sudo().company_ids - self.env.companies
        if foreign:
            raise ValidationError(
                self.env._(
                    "You can only recompute the KPIs of the companies you are working in; remove %s.",
                    ", ".join(foreign.mapped("name")),
                )
            )

from odoo import models


class CommissionMakeSettle(models.TransientModel):
    _inherit = "commission.make.settle"

    def _get_agent_lines(self, agent, date_to_agent):
        # OCA's settlement wizard (action_settle) settles the unsettled invoice lines this returns per agent.
        # Those of orders confirmed provisionally are left out: they stay unsettled, and the first run after
        # the order's contract documents are in (or waived) settles them, in the period of their invoice date.
        lines = super()._get_agent_lines(agent, date_to_agent)
        if self.settlement_type != "sale_invoice":
            return lines
        return lines - lines._adv_commission_on_hold()

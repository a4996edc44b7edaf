from odoo import models


class AccountInvoiceLineAgent(models.Model):
    _inherit = "account.invoice.line.agent"

    def _adv_commission_on_hold(self):
        """The lines of ``self`` that invoice an order that is not commissionable (yet): confirmed
        provisionally, its contract documents still missing. Decided for all of them in one query."""
        # Whoever settles commissions may not read sale orders: only their stored flag is read, as superuser.
        lines = self.sudo()
        held = lines.search(
            [
                ("id", "in", lines.ids),
                ("object_id.sale_line_ids.order_id.adv_commissionable", "=", False),
            ]
        )
        # A credit note that claws back a commission already settled goes through, or an order cancelled
        # after its invoice was settled would leave the agent paid.
        for line in held.filtered(lambda agent_line: agent_line.invoice_id.move_type == "out_refund"):
            origin = line.invoice_id.reversed_entry_id.invoice_line_ids.agent_ids.filtered(
                lambda agent_line, agent=line.agent_id: agent_line.agent_id == agent
            )
            if origin and all(origin.mapped("settled")):
                held -= line
        return self.browse(held.ids)

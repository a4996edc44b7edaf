from odoo import models


class AccountInvoiceLineAgent(models.Model):
    _inherit = "account.invoice.line.agent"

    def _skip_settlement(self):
        # OCA's settlement wizard (commission.make.settle.action_settle, commission_oca 18.0) asks each
        # unsettled agent line whether to skip it. A skipped line gets no settlement line, so it stays
        # unsettled and the next run picks it up: the commission of an order confirmed provisionally waits
        # until its contract documents are in (adv_commissionable), whatever the settlement type.
        return super()._skip_settlement() or self._adv_commission_on_hold()

    def _adv_commission_on_hold(self):
        """Whether this line invoices an order that is not commissionable (yet)."""
        self.ensure_one()
        # Whoever settles commissions may not read sale orders: only their commissionable flag is read.
        line = self.sudo()
        orders = line.object_id.sale_line_ids.order_id
        if all(orders.mapped("adv_commissionable")):
            return False
        # A credit note that claws back a commission already settled goes through, or an order cancelled
        # after its invoice was settled would leave the agent paid.
        invoice = line.invoice_id
        if invoice.move_type == "out_refund":
            origin = invoice.reversed_entry_id.invoice_line_ids.agent_ids.filtered(
                lambda agent_line: agent_line.agent_id == line.agent_id
            )
            if origin and all(origin.mapped("settled")):
                return False
        return True

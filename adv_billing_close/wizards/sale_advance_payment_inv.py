from collections import defaultdict

from odoo import api, fields, models

from ..models.sale_order import InvoicingScope, invoicing_scope


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    @api.depends("sale_order_ids", "date_end_invoice_timesheet")
    def _compute_adv_invoicing_warning(self):
        # Same text as adv_order_control's, judged at the date up to which the timesheets are invoiced.
        for wizard in self:
            with invoicing_scope(wizard._adv_invoicing_scope()):
                blockers = wizard.sale_order_ids._adv_invoicing_blockers()
            wizard.adv_invoicing_warning = (
                "\n".join(b.message for lst in blockers.values() for b in lst) or False
            )

    def create_invoices(self):
        # adv_order_control's gate runs inside, at the date up to which the timesheets are invoiced.
        with invoicing_scope(self._adv_invoicing_scope()):
            return super().create_invoices()

    def _adv_invoicing_scope(self):
        """See ``sale.order._adv_invoicing_blockers``: the timesheet end date, else today; every reached
        milestone, as Odoo invoices them all."""
        amounts = defaultdict(float)
        for line in self.sale_order_ids.order_line:
            amounts[line.order_id.id] += line.untaxed_amount_to_invoice
        return InvoicingScope(
            date=self.date_end_invoice_timesheet or fields.Date.context_today(self), amounts=dict(amounts)
        )

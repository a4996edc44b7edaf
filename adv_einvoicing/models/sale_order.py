from odoo import models

from ..tools import MentionFacts, missing_mentions


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------ invoicing gate
    def _adv_invoicing_blockers(self):
        """The mandatory e-invoicing mentions an order's invoices would miss, where the company checks
        them: the invoicing wizard, the draft invoice's banner and the pre-invoice board see them before
        the invoice is posted (posting checks the invoice itself, see ``account.move._post``)."""
        result = super()._adv_invoicing_blockers()
        for order in self:
            severity = order.company_id._adv_einvoice_mention_mode()
            if severity == "off":
                continue
            blockers = missing_mentions(self.env, order._adv_einvoice_mention_facts(), severity)
            if blockers:
                result.setdefault(order.id, []).extend(blockers)
        return result

    # ------------------------------------------------------------ business methods
    def _adv_einvoice_mention_facts(self):
        self.ensure_one()
        invoice_address = self.partner_invoice_id
        customer = invoice_address.commercial_partner_id.with_company(self.company_id)
        services = self.order_line.filtered(lambda line: line.product_id.type == "service")
        return MentionFacts(
            company=self.company_id,
            customer=customer,
            shipping=self.partner_shipping_id - invoice_address,
            ref=self.client_order_ref or "",
            po_required=customer._adv_einvoice_po_required(),
            cash_basis_taxes=tuple(
                sorted(
                    set(services.tax_id.filtered(lambda t: t.tax_exigibility == "on_payment").mapped("name"))
                )
            ),
        )

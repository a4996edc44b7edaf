from odoo import models

# "Cadre de facturation" (BT-23) of the French rules for a plain invoice: goods, services, both.
BUSINESS_PROCESS = {"goods": "B1", "services": "S1", "mixed": "M1"}


class AccountEdiXmlCii(models.AbstractModel):
    _inherit = "account.edi.xml.cii"

    def _export_invoice_vals(self, invoice):
        """The reform's mentions in the Factur-X, for the companies that switched the lifecycle on."""
        vals = super()._export_invoice_vals(invoice)
        company = invoice.company_id
        if company.adv_einvoicing_enabled:
            vals["adv_business_process"] = BUSINESS_PROCESS.get(invoice.adv_operation_category)
            if company.adv_vat_on_debits:
                vals["adv_vat_on_debits_note"] = self.env._("Option for the payment of VAT on debits")
        return vals

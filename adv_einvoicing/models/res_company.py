import re

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Off by default: installing the module changes nothing until a company switches it on.
    adv_einvoicing_enabled = fields.Boolean(
        string="E-Invoicing Lifecycle",
        help="Record the lifecycle statuses of the customer invoices exchanged through an approved platform.",
    )
    adv_einvoice_react_rejected = fields.Boolean(
        string="Follow Up Rejected Invoices",
        default=True,
        help="A Rejetée status (213) gives the invoice's ADV agent an activity with the platform's reason.",
    )
    adv_einvoice_react_dispute = fields.Boolean(
        string="Open Disputes on Refusals",
        default=True,
        help="A Refusée (210) or En litige (207) status opens a dispute on the invoice, with the buyer's "
        "reason and the company's commercial dispute deadline.",
    )

    adv_einvoice_forecast_approved = fields.Boolean(
        string="Approved Invoices Committed in the Cash Forecast",
        default=True,
        help="An invoice whose current status is Approuvée (205), Approuvée partiellement (206: the approved "
        "amount) or Paiement transmis (211) is forecast as committed by the customer: expected on the "
        "payment date the message gives, else on its due date (Paiement transmis: on the status date), "
        "instead of after the customer's usual payment delay.",
    )
    adv_einvoice_react_suspended = fields.Boolean(
        string="Follow Up Suspended Invoices",
        default=True,
        help="A Suspendue status (208) gives the invoice's ADV agent an activity with what the buyer asks "
        "for.",
    )

    def _adv_siren(self):
        """The company's SIREN: the first 9 digits of its SIRET (l10n_fr) or company registry."""
        self.ensure_one()
        partner = self.partner_id
        value = (partner.siret if "siret" in partner._fields else "") or self.company_registry or ""
        return re.sub(r"\D", "", value)[:9]

import re

from odoo import fields, models

MENTION_CHECKS = [
    ("off", "Off"),
    ("warning", "Warning"),
    ("block", "Block"),
]


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

    adv_einvoice_react_suspended = fields.Boolean(
        string="Follow Up Suspended Invoices",
        default=True,
        help="A Suspendue (208) or Complétée (209) status gives the invoice's ADV agent an activity with "
        "what the buyer asks for.",
    )

    adv_einvoice_mention_check = fields.Selection(
        MENTION_CHECKS,
        string="Check Mandatory Mentions",
        required=True,
        default="off",
        help="When a customer invoice or credit note is posted, check the mentions the e-invoicing reform "
        "makes mandatory (SIREN, delivery address, category of operation, VAT on debits, PO number). "
        "Warning: posted, with the missing mentions in the chatter. Block: not posted.",
    )
    adv_vat_on_debits = fields.Boolean(
        string="VAT on Debits",
        help="The company opted to pay the VAT on its services when invoicing (option pour le paiement de "
        "la TVA d'après les débits): the mention is printed on the invoices and written in the Factur-X.",
    )

    def _adv_siren(self):
        """The company's SIREN: the first 9 digits of its SIRET (l10n_fr) or company registry."""
        self.ensure_one()
        partner = self.partner_id
        value = (partner.siret if "siret" in partner._fields else "") or self.company_registry or ""
        return re.sub(r"\D", "", value)[:9]

    def _adv_einvoice_mention_mode(self):
        """How posting treats missing mandatory mentions: ``off``, ``warning`` or ``block``. The check
        belongs to the e-invoicing lifecycle: off while the company has not switched it on."""
        self.ensure_one()
        return self.adv_einvoice_mention_check if self.adv_einvoicing_enabled else "off"

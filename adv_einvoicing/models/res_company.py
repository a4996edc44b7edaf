import re

from odoo import fields, models

MENTION_CHECKS = [
    ("off", "Off"),
    ("warning", "Warning"),
    ("block", "Block"),
]
DISPUTE_ANSWERS = [
    ("none", "Do Not Answer"),
    ("disputed", "Answer Disputes (En litige)"),
    ("all", "Answer Disputes and Refusals"),
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

    # The statuses the company issues (issue 13, "statuses go out"); they matter only once
    # adv_einvoicing_enabled is on.
    adv_einvoice_declare_collections = fields.Boolean(
        string="Declare Collections (Encaissée)",
        default=True,
        help="A payment reconciled with a customer invoice prepares an Encaissée status (212) with the "
        "amount collected, to declare to the platform.",
    )
    adv_einvoice_declare_delay = fields.Integer(
        string="Declaration Reminder (Days)",
        default=2,
        help="An Encaissée status still undeclared this many days after the payment gives the invoice's ADV "
        "agent an activity (daily job).",
    )
    adv_einvoice_dispute_answer = fields.Selection(
        DISPUTE_ANSWERS,
        string="Answer Resolved Disputes",
        default="disputed",
        required=True,
        help="When a dispute opened by a status is resolved, prepare the Complétée status (209) that gives "
        "the buyer the resolution. A refusal (Refusée, 210) ends the invoice's lifecycle in the French "
        "specifications: answer it only if your platform expects it.",
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

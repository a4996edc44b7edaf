"""The mentions the French e-invoicing reform makes mandatory, checked the same way on an order (the
invoicing gate, ``sale.order._adv_invoicing_blockers``) and on the invoice being posted.

Callers gather :class:`MentionFacts` from their record; :func:`missing_mentions` says what is missing, as
``InvoicingBlocker`` records (one code per mention, a short label, a message saying how to fix it).
"""

import re
from dataclasses import dataclass, field

from odoo.addons.adv_order_control.tools import InvoicingBlocker

# The address lines a platform needs to read a delivery address.
ADDRESS_FIELDS = ("street", "zip", "city", "country_id")


@dataclass(frozen=True)
class MentionFacts:
    """What a document says about the mandatory mentions.

    ``customer``: the commercial partner invoiced; ``shipping``: the delivery address when it differs
    from the invoice address (else empty); ``po_required``: the customer's invoicing instruction asks
    for its PO number, given in ``ref``; ``category``: the category of operation, ``None`` when the
    document has none to state (an order: its invoice computes it); ``cash_basis_taxes``: names of
    the taxes due on payment applied to services.
    """

    company: object
    customer: object
    shipping: object
    ref: str = ""
    po_required: bool = False
    category: str | None = None
    cash_basis_taxes: tuple = field(default_factory=tuple)


def siren_of(partner):
    """A partner's SIREN: the first 9 digits of its SIRET (l10n_fr) or company registry."""
    value = (partner.siret if "siret" in partner._fields else "") or partner.company_registry or ""
    digits = re.sub(r"\D", "", value)
    return digits[:9] if len(digits) >= 9 else ""


def is_french(partner, company):
    """French customers are identified by their SIREN, the others by their VAT number. A partner
    without a country is taken as from the company's country."""
    country = partner.country_id or company.country_id
    return country.code == "FR"


def missing_mentions(env, facts, severity):
    """The mandatory mentions missing from a document described by ``facts``: [InvoicingBlocker]."""
    blockers = []

    def add(code, label, message):
        blockers.append(InvoicingBlocker(code=code, label=label, message=message, severity=severity))

    if len(facts.company._adv_siren()) != 9:
        add(
            "einvoice_company_siren",
            env._("Company SIREN"),
            env._("Your company %s has no SIREN: fill in its SIRET or company registry.", facts.company.name),
        )
    customer = facts.customer
    if customer.is_company or customer.company_registry or customer.vat:
        if is_french(customer, facts.company):
            if not siren_of(customer):
                add(
                    "einvoice_customer_siren",
                    env._("Customer SIREN"),
                    env._(
                        "The customer %s has no SIREN: fill in its SIRET or company registry (9 digits).",
                        customer.display_name,
                    ),
                )
        elif not customer.vat:
            add(
                "einvoice_customer_vat",
                env._("Customer VAT number"),
                env._(
                    "The foreign customer %s has no VAT number: fill it in on the customer.",
                    customer.display_name,
                ),
            )
    shipping = facts.shipping
    if shipping and not all(shipping[name] for name in ADDRESS_FIELDS):
        add(
            "einvoice_delivery_address",
            env._("Delivery address"),
            env._(
                "The delivery address %s differs from the invoice address but is incomplete: give it a "
                "street, zip, city and country.",
                shipping.display_name,
            ),
        )
    if facts.category is not None and not facts.category:
        add(
            "einvoice_operation_category",
            env._("Category of operation"),
            env._("Say whether the invoice is for goods, services or both: set its Category of Operation."),
        )
    if facts.company.adv_vat_on_debits and facts.cash_basis_taxes:
        add(
            "einvoice_vat_on_debits",
            env._("VAT on debits"),
            env._(
                "Your company opted for VAT on debits but the services bear taxes due on payment (%s): "
                "use the taxes due on invoicing.",
                ", ".join(facts.cash_basis_taxes),
            ),
        )
    if facts.po_required and not (facts.ref or "").strip():
        add(
            "einvoice_po_reference",
            env._("Customer PO number"),
            env._(
                "The customer %s requires its purchase order number: fill in the Customer Reference.",
                customer.display_name,
            ),
        )
    return blockers

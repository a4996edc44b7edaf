from odoo import api, fields, models
from odoo.exceptions import ValidationError

CHECKS = [
    ("price_below_pricelist", "Price below the pricelist price"),
    ("discount_above", "Discount above a maximum"),
    ("payment_term_differs", "Payment terms differ from the customer's"),
    ("customer_ref_missing", "Customer reference (PO number) missing"),
    ("invoice_address_missing", "Invoice address or VAT number missing"),
    ("amount_above", "Amount above an approval threshold"),
]
# Checks whose threshold is a percentage.
PERCENT_CHECKS = ("price_below_pricelist", "discount_above")


class AdvConformityCheck(models.Model):
    _name = "adv.conformity.check"
    _description = "Order Conformity Check"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    code = fields.Selection(CHECKS, required=True)
    name = fields.Char(compute="_compute_name")
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(
        default=False, help="Off by default: a company switches on the checks it wants at confirmation."
    )
    severity = fields.Selection(
        [("warning", "Warn"), ("block", "Block")],
        required=True,
        default="warning",
        help="Warn: the ADV user acknowledges it in the confirmation wizard. Block: only an ADV Manager "
        "confirms, with a reason logged in the chatter.",
    )
    threshold = fields.Float(
        help="Percentage for the price and discount checks; untaxed amount in company currency for the "
        "amount check."
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Each check exists once per company."),
        ("threshold_positive", "CHECK(threshold >= 0)", "The threshold of a check cannot be negative."),
    ]

    @api.depends("code")
    def _compute_name(self):
        labels = dict(CHECKS)
        for check in self:
            check.name = labels.get(check.code)

    @api.constrains("code", "threshold")
    def _check_threshold(self):
        for check in self.filtered(lambda c: c.code in PERCENT_CHECKS and c.threshold > 100):
            raise ValidationError(
                self.env._(
                    "%(check)s: the threshold is a percentage; enter a value from 0 to 100, not %(value)s.",
                    check=check.name,
                    value=check.threshold,
                )
            )

    @api.model
    def _ensure_company_checks(self, companies):
        """Create the (inactive) checks a company does not have yet."""
        existing = self.with_context(active_test=False).search([("company_id", "in", companies.ids)])
        have = {(c.company_id.id, c.code) for c in existing}
        self.create(
            [
                {"code": code, "company_id": company.id, "sequence": seq}
                for company in companies
                for seq, (code, _label) in enumerate(CHECKS)
                if (company.id, code) not in have
            ]
        )

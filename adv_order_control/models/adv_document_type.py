from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class AdvDocumentType(models.Model):
    _name = "adv.document.type"
    _description = "Contract Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, used in imports and integrations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty for a type shared by all companies."
    )
    scope = fields.Selection(
        [("partner", "Customer"), ("order", "Order")],
        required=True,
        default="order",
        help="Customer documents are kept on the commercial partner and serve all its orders; "
        "order documents are expected for each order.",
    )
    requirement = fields.Selection(
        [
            ("confirmation", "Before confirmation"),
            ("invoicing", "Before invoicing"),
            ("info", "For information"),
        ],
        required=True,
        default="info",
        help="Before confirmation: a missing document makes the order provisional. Before invoicing: "
        "it is reported (or blocks, per the company setting) when the order is invoiced. For information: "
        "tracked, never blocking.",
    )
    validity_months = fields.Integer(
        help="A received document expires after this many months (e.g. K-bis 3, URSSAF certificate 6). "
        "0: no expiry from the type (an end date may still be set on the document)."
    )
    validity_start = fields.Selection(
        [("received", "Date received"), ("issue", "Issue date")],
        string="Validity From",
        required=True,
        default="received",
        help="Date the validity runs from. Issue date: the date printed on the document (a K-bis extract is "
        "valid 3 months from its issue, however late it is sent).",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="Expected only for customers with one of these tags.",
    )
    country_ids = fields.Many2many(
        "res.country", string="Countries", help="Expected only for these countries."
    )
    min_amount = fields.Monetary(
        string="From Order Amount",
        currency_field="company_currency_id",
        help="Expected only for orders of at least this untaxed amount (company currency).",
    )
    company_currency_id = fields.Many2one("res.currency", compute="_compute_company_currency_id")
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code of a document type must be unique."),
        ("min_amount_positive", "CHECK(min_amount >= 0)", "The order amount threshold cannot be negative."),
        ("validity_positive", "CHECK(validity_months >= 0)", "The validity cannot be negative."),
    ]

    # ------------------------------------------------------------------ compute
    @api.depends("company_id")
    def _compute_company_currency_id(self):
        for doc_type in self:
            doc_type.company_currency_id = (doc_type.company_id or self.env.company).currency_id

    # ------------------------------------------------------------------ business
    def _expiry_from(self, day):
        self.ensure_one()
        return day + relativedelta(months=self.validity_months) if self.validity_months and day else False

    def _applies(self, partner, company, amount=None, for_partner_only=False):
        """Whether this type is expected for ``partner`` (a commercial partner) in ``company``.

        ``amount`` is the order's untaxed amount in company currency; the amount threshold only
        applies to order-scope types (customer documents serve every order).
        """
        self.ensure_one()
        if self.company_id and self.company_id != company:
            return False
        if self.partner_category_ids and not (self.partner_category_ids & partner.category_id):
            return False
        if self.country_ids and partner.country_id not in self.country_ids:
            return False
        if self.scope == "order" and self.min_amount and not for_partner_only:
            return amount is not None and amount >= self.min_amount
        return True

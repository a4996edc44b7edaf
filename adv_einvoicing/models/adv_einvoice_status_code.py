from odoo import fields, models

ISSUERS = [("platform", "Platform"), ("buyer", "Buyer"), ("seller", "Seller")]


class AdvEinvoiceStatusCode(models.Model):
    _name = "adv.einvoice.status.code"
    _description = "E-Invoicing Lifecycle Status Code"
    _order = "sequence, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, help="Code of the French external specifications (200 to 213).")
    name = fields.Char(string="Label", required=True, translate=True)
    sequence = fields.Integer(default=10)
    mandatory = fields.Boolean(help="A status every platform must exchange (200, 210, 212, 213).")
    kind = fields.Selection(ISSUERS, string="Issued By", required=True, default="platform")
    closing = fields.Boolean(
        string="Closes the Lifecycle",
        help="After this status only the statuses listed in 'Accepted After It' may follow (e.g. a new "
        "deposit after a rejection); anything else is refused at import.",
    )
    next_code_ids = fields.Many2many(
        "adv.einvoice.status.code",
        "adv_einvoice_status_code_next_rel",
        "code_id",
        "next_id",
        string="Accepted After It",
    )
    fold_when_empty = fields.Boolean(
        string="Folded When Empty",
        help="In the invoices' kanban by status, the column of this status is folded while no invoice is "
        "in it. The usual statuses stay open.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "A status code exists only once.")]

    def _compute_display_name(self):
        for code in self:
            code.display_name = f"{code.code} {code.name}" if code.code else code.name

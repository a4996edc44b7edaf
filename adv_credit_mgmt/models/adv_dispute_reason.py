from odoo import fields, models


class AdvDisputeReason(models.Model):
    """Why a customer disputes an invoice: a short code for reports, a label people read."""

    _name = "adv.dispute.reason"
    _description = "Dispute Reason"
    _order = "sequence, code"
    _rec_names_search = ["code", "name"]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="Short code for exports and analyses, e.g. DLV-LATE.")
    name = fields.Char(string="Label", required=True, translate=True)
    dispute_type = fields.Selection(
        [
            ("commercial", "Commercial"),
            ("billing", "Billing Error"),
            ("delivery", "Delivery / Quality"),
            ("financial", "Financial"),
        ],
        string="Type",
        help="The dispute type this reason belongs to: choosing the reason proposes that type.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company uses it.")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A dispute reason code is used once per company."),
    ]

    def _compute_display_name(self):
        for reason in self:
            reason.display_name = f"[{reason.code}] {reason.name}" if reason.code else reason.name

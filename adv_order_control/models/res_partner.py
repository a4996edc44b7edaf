from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import check_owned_fields

# The controls a customer is subject to are the ADV team's to set, not the salesperson's: loosening strict
# document control is an ADV Manager's waiver; requiring a PO number is an ADV User's setting.
OWNED_FIELDS = {
    "adv_strict_documents": "adv_order_control.group_adv_manager",
    "adv_requires_customer_ref": "adv_order_control.group_adv_user",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    adv_document_ids = fields.One2many(
        "adv.document",
        "partner_id",
        string="Customer Documents",
        domain=[("order_id", "=", False)],
    )
    adv_strict_documents = fields.Selection(
        [("company", "Company default"), ("strict", "Strict"), ("flexible", "Flexible")],
        string="Document Control",
        default="company",
        company_dependent=True,
        help="Strict: orders missing a document required before confirmation cannot be confirmed, even "
        "provisionally, unless an ADV Manager waives. Flexible: provisional confirmation is allowed.",
    )
    adv_requires_customer_ref = fields.Boolean(
        string="Requires PO Number",
        company_dependent=True,
        help="The customer's reference (purchase order number) must be on its orders; checked at "
        "confirmation when the company enables the conformity check.",
    )
    # Counted on read: a document past its expiry date is missing from the next day, before the nightly
    # job marks it expired.
    adv_doc_missing_count = fields.Integer(
        string="Missing Documents",
        compute="_compute_adv_doc_missing_count",
        search="_search_adv_doc_missing_count",
        compute_sudo=True,
    )
    adv_next_expiry = fields.Date(
        string="Next Document Expiry", compute="_compute_adv_next_expiry", store=True, compute_sudo=True
    )

    @api.depends("adv_document_ids.state", "adv_document_ids.expiry_date", "adv_document_ids.waiver_end_date")
    def _compute_adv_doc_missing_count(self):
        for partner in self:
            partner.adv_doc_missing_count = len(partner.adv_document_ids.filtered(lambda d: not d.is_ok))

    def _search_adv_doc_missing_count(self, operator, value):
        # The filters ask "some missing" (> 0) or "none missing" (= 0).
        if (operator, value) in ((">", 0), ("!=", 0), (">=", 1)):
            return [("adv_document_ids", "any", [("is_ok", "=", False)])]
        if (operator, value) in (("=", 0), ("<", 1), ("<=", 0)):
            return [("adv_document_ids", "not any", [("is_ok", "=", False)])]
        raise UserError(self.env._("Search the customers with missing documents by > 0 or = 0."))

    @api.depends("adv_document_ids.state", "adv_document_ids.expiry_date")
    def _compute_adv_next_expiry(self):
        for partner in self:
            expiries = partner.adv_document_ids.filtered(
                lambda d: d.state in ("received", "validated") and d.expiry_date
            ).mapped("expiry_date")
            partner.adv_next_expiry = min(expiries) if expiries else False

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------------ business
    def _adv_is_strict(self, company):
        self.ensure_one()
        mode = self.commercial_partner_id.with_company(company).adv_strict_documents
        return company.adv_strict_documents if mode in (False, "company") else mode == "strict"

    def action_adv_refresh_checklist(self):
        self.env["adv.document"]._sync_partner_documents(self.commercial_partner_id, self.env.company)

from odoo import api, models
from odoo.exceptions import AccessError

from ..models.res_partner import CREDIT_DATA


class ReportAdvStatement(models.AbstractModel):
    _name = "report.adv_credit_mgmt.report_adv_statement"
    _description = "Customer Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        # The report action's groups only hide the menu entry: rendering (/report/pdf/...) is checked here.
        if not any(self.env.user.has_group(group) for group in CREDIT_DATA.split(",")):
            raise AccessError(self.env._("Customer statements are for the credit team, ADV and accounting."))
        partners = self.env["res.partner"].browse(docids)
        # Open receivables read with the user's own rights (company rules apply), one query for all.
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", partners.commercial_partner_id.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("company_id", "=", self.env.company.id),
            ],
            order="date_maturity, id",
        )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "lines_by_partner": {
                partner.id: lines.filtered(
                    lambda line, p=partner: line.partner_id.commercial_partner_id == p.commercial_partner_id
                )
                for partner in partners
            },
        }

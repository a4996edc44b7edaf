from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_adv_credit_mgmt = fields.Boolean(string="Credit Management")
    module_adv_billing_close = fields.Boolean(string="Billing Close")
    module_adv_kpi = fields.Boolean(string="ADV KPIs")
    adv_regularisation_days = fields.Integer(related="company_id.adv_regularisation_days", readonly=False)
    adv_escalation_days = fields.Integer(related="company_id.adv_escalation_days", readonly=False)
    adv_strict_documents = fields.Boolean(related="company_id.adv_strict_documents", readonly=False)
    adv_invoicing_gate = fields.Selection(related="company_id.adv_invoicing_gate", readonly=False)
    adv_responsible_id = fields.Many2one(related="company_id.adv_responsible_id", readonly=False)

    def action_adv_conformity_checks(self):
        self.env["adv.conformity.check"].sudo()._ensure_company_checks(self.company_id)
        return self.env["ir.actions.act_window"]._for_xml_id("adv_order_control.action_adv_conformity_check")

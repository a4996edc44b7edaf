from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    adv_regularisation_days = fields.Integer(
        string="Regularisation Delay",
        default=15,
        help="Days given to a provisional order to receive its missing documents.",
    )
    adv_escalation_days = fields.Integer(
        string="Escalation Delay",
        default=7,
        help="Days after the regularisation deadline before the ADV Manager is alerted (the sales team "
        "leader is alerted at the deadline).",
    )
    adv_strict_documents = fields.Boolean(
        string="Strict Document Control",
        help="Orders missing a document required before confirmation cannot be confirmed, even "
        "provisionally; only an ADV Manager can waive. Customers may override this default.",
    )
    adv_invoicing_gate = fields.Selection(
        [("warning", "Warn"), ("block", "Block")],
        string="Missing Documents at Invoicing",
        default="warning",
        required=True,
        help="What happens when an order whose before-invoicing documents are missing is invoiced.",
    )
    adv_responsible_id = fields.Many2one(
        "res.users",
        string="ADV Responsible",
        help="Receives the activities of orders confirmed online or automatically with missing "
        "documents, and the last escalation level.",
    )

    @api.constrains("adv_regularisation_days", "adv_escalation_days")
    def _check_adv_delays(self):
        for company in self:
            negative = [
                company._fields[fname]._description_string(self.env)
                for fname in ("adv_regularisation_days", "adv_escalation_days")
                if company[fname] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "%(delays)s of %(company)s cannot be negative: enter a number of days from 0 on.",
                        delays=", ".join(negative),
                        company=company.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["adv.conformity.check"].sudo()._ensure_company_checks(companies)
        return companies

    def _adv_responsible(self):
        """The ADV responsible, else the first ADV Manager of the company."""
        self.ensure_one()
        if self.adv_responsible_id:
            return self.adv_responsible_id
        group = self.env.ref("adv_order_control.group_adv_manager")
        managers = group.sudo().users.filtered(lambda u: self in u.company_ids and not u.share and u.active)
        return managers.filtered(lambda u: u.id != self.env.ref("base.user_root").id)[:1] or managers[:1]

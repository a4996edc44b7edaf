from odoo import api, models
from odoo.exceptions import ValidationError


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # so_line is computed at creation: check once it is known.
        lines.filtered("project_id")._adv_credit_check_start_of_work()
        return lines

    def _adv_credit_check_start_of_work(self):
        orders = self.sudo().so_line.order_id
        refused = orders.filtered(
            lambda o: o.company_id.adv_credit_work_block
            and (o.adv_credit_hold or o.partner_id.with_company(o.company_id)._adv_credit_is_blocked())
        )
        if refused:
            raise ValidationError(refused._adv_credit_start_of_work_message())

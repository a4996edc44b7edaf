from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        self._adv_credit_check_delivery()
        return super().button_validate()

    def _adv_credit_check_delivery(self):
        orders = self.filtered(lambda p: p.picking_type_code == "outgoing").sudo().sale_id
        refused = orders.filtered(
            lambda o: o.company_id.adv_credit_work_block
            and (o.adv_credit_hold or o.partner_id.with_company(o.company_id)._adv_credit_is_blocked())
        )
        if refused:
            raise UserError(refused._adv_credit_start_of_work_message())

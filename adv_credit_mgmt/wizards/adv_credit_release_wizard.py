from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class AdvCreditReleaseWizard(models.TransientModel):
    _name = "adv.credit.release.wizard"
    _description = "Release a Credit Hold"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True)

    def action_release(self):
        self.ensure_one()
        if not self.env.user.has_group("adv_credit_mgmt.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can release a credit hold."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for releasing the credit hold."))
        orders = self.order_ids.filtered("adv_credit_hold")
        if not orders:
            raise UserError(self.env._("None of these orders is on credit hold."))
        for order in orders:
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
            over = max(partner.adv_exposure_total - partner.adv_credit_limit_effective, 0.0)
            self.env["adv.credit.override"].sudo().create(
                {
                    "partner_id": partner.id,
                    "company_id": order.company_id.id,
                    "order_id": order.id,
                    "kind": "hold_release",
                    "code": "credit_hold",
                    "amount_over": over if partner.adv_credit_limit_effective > 0 else 0.0,
                    "reason": self.reason,
                }
            )
            order.message_post(body=self.env._("Credit hold released: %s", self.reason))
            summary = self.env._("Credit hold: review the order")
            order.activity_ids.filtered(lambda a, s=summary: a.summary == s).sudo().action_feedback(
                feedback=self.reason
            )
        orders.sudo().write({"adv_credit_hold": False})
        return {"type": "ir.actions.act_window_close"}

from odoo import api, fields, models
from odoo.exceptions import UserError


class AdvCreditOverride(models.Model):
    _name = "adv.credit.override"
    _description = "Credit Override Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null", check_company=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, index="btree_not_null")
    kind = fields.Selection(
        [
            ("order", "Confirmation over a credit block"),
            ("hold_release", "Credit hold released"),
            ("invoice", "Invoice posted over a credit block"),
            ("limit", "Limit change"),
            ("status", "Account status change"),
        ],
        required=True,
        readonly=True,
    )
    code = fields.Char(string="Issue Code", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_over = fields.Monetary(string="Amount Over Limit", readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
    reason = fields.Text(required=True, readonly=True)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # An audit trail: nobody deletes it, not even the credit manager.
        raise UserError(self.env._("The credit override log cannot be deleted."))

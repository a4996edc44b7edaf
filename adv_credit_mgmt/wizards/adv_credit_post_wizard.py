from odoo import fields, models


class AdvCreditPostWizard(models.TransientModel):
    _name = "adv.credit.post.wizard"
    _description = "Post Invoices over a Credit Block"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Text(required=True)

    def action_post(self):
        """Post the invoices over their credit block; the group, the block and the reason are checked by
        the invoices themselves, whatever the wizard's fields say."""
        self.ensure_one()
        self.move_ids._adv_credit_post_overridden(self.reason)
        return {"type": "ir.actions.act_window_close"}

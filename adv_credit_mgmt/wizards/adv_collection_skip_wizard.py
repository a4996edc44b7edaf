from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..models.res_partner import CREDIT_CONTROLLER


class AdvCollectionSkipWizard(models.TransientModel):
    _name = "adv.collection.skip.wizard"
    _description = "Skip a Payment Reminder"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Text(required=True)

    def action_skip(self):
        """Pass over the reminder due today on each invoice: logged as skipped, with the reason."""
        self.ensure_one()
        if not self.env.user.has_group(CREDIT_CONTROLLER):
            raise AccessError(self.env._("Only the credit team sends or skips payment reminders."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why this reminder is skipped."))
        companies = self.env.user.company_ids
        moves = self.move_ids.sudo().filtered(lambda m: m.company_id in companies)
        Reminder = self.env["adv.dunning.reminder"]
        due = list(Reminder._adv_due_levels(moves))
        if not due:
            raise UserError(self.env._("No reminder is due today on these invoices: nothing to skip."))
        for invoice, level in due:
            Reminder._adv_skip(invoice, level, self.reason)
        return {"type": "ir.actions.act_window_close"}

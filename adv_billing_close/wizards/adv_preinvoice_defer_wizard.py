from odoo import fields, models


class AdvPreinvoiceDeferWizard(models.TransientModel):
    _name = "adv.preinvoice.defer.wizard"
    _description = "Defer Pre-invoice Lines"

    preinvoice_ids = fields.Many2many("adv.preinvoice", required=True)
    reason = fields.Text(required=True, help="Why these lines are invoiced next period.")

    def action_confirm(self):
        self.preinvoice_ids._defer(self.reason)
        return {"type": "ir.actions.act_window_close"}

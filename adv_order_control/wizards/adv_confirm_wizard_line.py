from odoo import fields, models


class AdvConfirmWizardLine(models.TransientModel):
    _name = "adv.confirm.wizard.line"
    _description = "Issue Found at Confirmation"

    wizard_id = fields.Many2one("adv.confirm.wizard", required=True, ondelete="cascade")
    order_id = fields.Many2one("sale.order", readonly=True)
    code = fields.Char(readonly=True)
    message = fields.Text(readonly=True)
    severity = fields.Selection([("warning", "Warning"), ("block", "Block")], readonly=True)
    override_group = fields.Char(readonly=True)
    provisional = fields.Boolean(readonly=True)
    can_override = fields.Boolean(readonly=True)

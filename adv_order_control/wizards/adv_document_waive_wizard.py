from odoo import fields, models


class AdvDocumentWaiveWizard(models.TransientModel):
    _name = "adv.document.waive.wizard"
    _description = "Waive Contract Documents"

    document_ids = fields.Many2many("adv.document", string="Documents", required=True)
    reason = fields.Text(required=True)
    end_date = fields.Date(string="Waiver Ends", help="The document is expected again after this date.")

    def action_waive(self):
        self.ensure_one()
        self.document_ids._waive(self.reason, self.end_date)
        return {"type": "ir.actions.act_window_close"}

from odoo import fields, models


class AdvSubmissionSendbackWizard(models.TransientModel):
    _name = "adv.submission.sendback.wizard"
    _description = "Send a Timesheet Back"

    submission_ids = fields.Many2many("adv.timesheet.submission", required=True)
    comment = fields.Text(required=True, help="What the employee must correct.")

    def action_confirm(self):
        self.submission_ids._send_back(self.comment)
        return {"type": "ir.actions.act_window_close"}

from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    adv_billing_instruction_id = fields.Many2one(
        "adv.billing.instruction",
        string="Invoicing Instructions",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    adv_billing_period_id = fields.Many2one(
        "adv.billing.period", string="Billing Period", readonly=True, copy=False, index="btree_not_null"
    )
    adv_instruction_summary = fields.Char(compute="_compute_adv_instruction_summary")
    adv_portal_upload_required = fields.Boolean(compute="_compute_adv_instruction_summary")
    adv_portal_uploaded_on = fields.Date(string="Uploaded on Portal", copy=False, tracking=True)

    @api.depends("adv_billing_instruction_id")
    def _compute_adv_instruction_summary(self):
        for move in self:
            instruction = move.adv_billing_instruction_id
            move.adv_instruction_summary = instruction._summary() if instruction else False
            move.adv_portal_upload_required = bool(instruction) and instruction.portal != "none"

    def action_adv_mark_uploaded(self):
        if self.filtered(lambda m: m.state != "posted"):
            raise UserError(
                self.env._("Post the invoice before recording its upload on the customer's portal.")
            )
        self.adv_portal_uploaded_on = fields.Date.context_today(self)

    def _adv_attach_timesheets(self):
        """Attach the timesheet report of the invoiced lines when the customer asks for it."""
        report = self.env.ref("hr_timesheet.timesheet_report")
        for move in self.filtered(lambda m: m.adv_billing_instruction_id.timesheet_attachment_required):
            timesheets = (
                self.env["account.analytic.line"].sudo().search([("timesheet_invoice_id", "=", move.id)])
            )
            if not timesheets:
                continue
            content, report_type = report._render(report.report_name, timesheets.ids)
            extension = "pdf" if report_type == "pdf" else "html"
            self.env["ir.attachment"].create(
                {
                    "name": self.env._(
                        "Timesheet %(period)s.%(ext)s",
                        period=move.adv_billing_period_id.name or "",
                        ext=extension,
                    ),
                    "raw": content,
                    "res_model": "account.move",
                    "res_id": move.id,
                }
            )

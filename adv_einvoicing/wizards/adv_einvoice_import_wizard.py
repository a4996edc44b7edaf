import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import parse_cdar


class AdvEinvoiceImportWizard(models.TransientModel):
    _name = "adv.einvoice.import.wizard"
    _description = "Import E-Invoicing Status Files"

    attachment_ids = fields.Many2many(
        "ir.attachment",
        "adv_einvoice_import_wizard_attachment_rel",
        "wizard_id",
        "attachment_id",
        string="Status Files (CDAR XML)",
    )
    platform_id = fields.Many2one(
        "adv.einvoice.platform",
        domain="[('company_id', 'in', allowed_company_ids)]",
        help="The platform the files come from, when known.",
    )
    log_ids = fields.Many2many("adv.einvoice.import.log", string="Import Log", readonly=True)

    # ------------------------------------------------------------ actions
    def action_import(self):
        self.ensure_one()
        statuses = self.env["adv.einvoice.status"]
        statuses._adv_check_receiver()
        if not self.attachment_ids:
            raise UserError(self.env._("Add the status files to import."))
        logs = self.env["adv.einvoice.import.log"]
        # In the order the files were added: a batch may hold a status and the one that follows it.
        for attachment in self.attachment_ids.sorted("id"):
            try:
                payloads = parse_cdar(base64.b64decode(attachment.datas or b""))
            except ValueError as error:
                logs |= logs.sudo().create(
                    {
                        "name": attachment.name,
                        "state": "error",
                        "error": self.env._(
                            "File %(file)s cannot be read: %(error)s", file=attachment.name, error=error
                        ),
                        "platform_id": self.platform_id.id,
                    }
                )
                continue
            file_logs = statuses._receive(
                payloads, platform=self.platform_id, attachment=attachment, file_name=attachment.name
            )
            # The file now belongs to its import log: readable by the log's readers, not only its uploader.
            attachment.sudo().write({"res_model": file_logs._name, "res_id": file_logs[:1].id})
            logs |= file_logs
        self.log_ids = logs
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Log"),
            "res_model": "adv.einvoice.import.log",
            "view_mode": "list,form",
            "domain": [("id", "in", logs.ids)],
            "target": "current",
        }

from odoo import fields, models
from odoo.exceptions import UserError


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
        # In the order the files were added: a batch may hold a status and the one that follows it.
        self.log_ids = statuses._receive_files(self.attachment_ids.sorted("id"), platform=self.platform_id)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Log"),
            "res_model": "adv.einvoice.import.log",
            "view_mode": "list,form",
            "domain": [("id", "in", self.log_ids.ids)],
            "target": "current",
        }

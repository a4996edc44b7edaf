from odoo import fields, models


class AdvEinvoiceImportLog(models.Model):
    _name = "adv.einvoice.import.log"
    _description = "E-Invoicing Status Import Log"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="File", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, readonly=True
    )
    message_id = fields.Char(readonly=True, index="btree_not_null")
    state = fields.Selection(
        [("done", "Imported"), ("duplicate", "Already Imported"), ("error", "Error")],
        required=True,
        readonly=True,
        index=True,
    )
    error = fields.Text(readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, index="btree_not_null")
    status_id = fields.Many2one("adv.einvoice.status", readonly=True)
    code = fields.Char(string="Status Code", readonly=True)
    platform_id = fields.Many2one("adv.einvoice.platform", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Source File", readonly=True)

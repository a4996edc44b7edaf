from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Service period of an invoice line: the part after a period end is deferred revenue (PCA).
    adv_service_date_start = fields.Date(string="Service Start")
    adv_service_date_end = fields.Date(string="Service End")

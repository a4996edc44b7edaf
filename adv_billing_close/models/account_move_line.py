from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Service period of an invoice line: the part after a period end is deferred revenue (PCA).
    adv_service_date_start = fields.Date(string="Service Start")
    adv_service_date_end = fields.Date(string="Service End")

    # ------------------------------------------------------------------ constraints
    @api.constrains("adv_service_date_start", "adv_service_date_end")
    def _check_adv_service_dates(self):
        # The PCA spreads the line over the days of its service period.
        for line in self:
            start, end = line.adv_service_date_start, line.adv_service_date_end
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "The service of line “%(line)s” ends on %(end)s, before it starts on %(start)s: "
                        "correct its service start or end date.",
                        line=line.name or line.product_id.display_name or "",
                        end=end,
                        start=start,
                    )
                )

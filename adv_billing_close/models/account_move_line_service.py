# pylint: disable=consider-merging-classes-inherited
from odoo import api, models
from odoo.exceptions import ValidationError


# Kept apart from account_move_line.py while another change edits that file: to merge into it.
class AccountMoveLine(models.Model):
    """The service period of an invoice line (its fields are in account_move_line.py) must be a period:
    the PCA spreads the line over its days."""

    _inherit = "account.move.line"

    @api.constrains("adv_service_date_start", "adv_service_date_end")
    def _check_adv_service_dates(self):
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

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    adv_invoicing_warning = fields.Text(
        string="ADV Warning",
        compute="_compute_adv_invoicing_warning",
        help="What the ADV team still misses on the orders of this draft invoice.",
    )

    @api.depends("state", "line_ids.sale_line_ids")
    def _compute_adv_invoicing_warning(self):
        for move in self:
            orders = move.line_ids.sale_line_ids.order_id
            if move.state != "draft" or move.move_type != "out_invoice" or not orders:
                move.adv_invoicing_warning = False
                continue
            blockers = orders._adv_invoicing_blockers()
            move.adv_invoicing_warning = (
                "\n".join(b.message for lst in blockers.values() for b in lst) or False
            )

    def action_post(self):
        # Credit notes are never held back, nor system flows (online payment invoicing runs as
        # superuser): only a user posting a customer invoice goes through the ADV gate.
        if not self.env.su:
            invoices = self.filtered(lambda m: m.move_type == "out_invoice")
            invoices.line_ids.sale_line_ids.order_id._adv_invoicing_check()
        return super().action_post()

from collections import defaultdict

from odoo import models
from odoo.osv import expression
from odoo.tools import float_is_zero


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _adv_timesheet_qty_to_invoice(self, start_date, end_date):
        """What sale_timesheet's invoicing wizard invoices between the dates, without writing it:
        ``({sale line: quantity}, {order id: hours})``.

        Same timesheets as ``_recompute_qty_to_invoice``: its delivered-quantity hook
        (``_timesheet_compute_delivered_quantity_domain``, which reads ``accrual_entry_date``), not
        invoiced, on a cancelled invoice or on an invoice credited by a posted credit note; quantities
        converted by ``_get_delivered_quantity_by_analytic``.
        """
        lines = self.filtered(lambda sol: sol.product_id and sol.product_id._is_delivered_timesheet())
        if not lines:
            return {}, {}
        refunded = (
            self.env["account.move"]
            .search(
                [
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                    ("reversed_entry_id", "!=", False),
                    ("line_ids.sale_line_ids.order_id", "in", lines.order_id.ids),
                ]
            )
            .reversed_entry_id
        )
        timesheet_domain = [
            "|",
            ("timesheet_invoice_id", "=", False),
            ("timesheet_invoice_id.state", "=", "cancel"),
        ]
        if refunded:
            timesheet_domain = expression.OR(
                [
                    timesheet_domain,
                    [
                        ("timesheet_invoice_id.state", "=", "posted"),
                        ("timesheet_invoice_id", "in", refunded.ids),
                    ],
                ]
            )
        # The point-in-time context only for the hook: stored quantities read under it would be
        # recomputed (and stored) as of that date.
        hook_lines = lines.with_context(accrual_entry_date=end_date) if end_date else lines
        domain = expression.AND([hook_lines._timesheet_compute_delivered_quantity_domain(), timesheet_domain])
        if start_date:
            domain = expression.AND([domain, [("date", ">=", start_date)]])
        if end_date:
            domain = expression.AND([domain, [("date", "<=", end_date)]])
        mapping = lines._get_delivered_quantity_by_analytic(domain)
        groups = self.env["account.analytic.line"]._read_group(
            expression.AND([domain, [("so_line", "in", lines.ids)]]), ["order_id"], ["unit_amount:sum"]
        )
        hours = {order.id: unit_amount for order, unit_amount in groups}
        return {line: mapping[line.id] for line in lines if mapping.get(line.id)}, hours

    def _adv_milestone_qty_to_invoice(self, day):
        """{sale line: quantity to invoice} of milestone lines, counting the milestones reached by ``day``
        only (sale_project's delivered quantity counts every reached milestone)."""
        lines = self.filtered(lambda sol: sol.qty_delivered_method == "milestones")
        reached = self.env["project.milestone"]._adv_reached_percentage(lines, day)
        result = defaultdict(float)
        for line in lines:
            qty = reached.get(line.id, 0.0) * line.product_uom_qty - line.qty_invoiced
            if not float_is_zero(qty, precision_rounding=line.product_uom.rounding):
                result[line] = qty
        return dict(result)

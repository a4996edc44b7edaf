from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProjectMilestone(models.Model):
    _inherit = "project.milestone"

    adv_document_type_id = fields.Many2one(
        "adv.document.type",
        string="Required Document",
        domain="[('scope', '=', 'order')]",
        help="e.g. PV de recette: once reached, the milestone is invoiced only when its own document of "
        "this type is received (ADV contract documents).",
    )
    adv_document_id = fields.Many2one(
        "adv.document",
        string="Acceptance Document",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        domain="[('type_id', '=', adv_document_type_id), ('order_id', '=', adv_order_id)]",
        help="The document of the required type that accepts this milestone (e.g. the PV of this lot): "
        "a document accepts one milestone only.",
    )
    adv_order_id = fields.Many2one(related="sale_line_id.order_id", string="Sales Order")

    _sql_constraints = [
        (
            "adv_document_uniq",
            "unique(adv_document_id)",
            "A document accepts one milestone only: each lot has its own acceptance report.",
        ),
    ]

    # ------------------------------------------------------------------ constraints
    @api.constrains("adv_document_id", "adv_document_type_id", "sale_line_id")
    def _check_adv_document(self):
        for milestone in self.filtered("adv_document_id"):
            document = milestone.sudo().adv_document_id
            if document.type_id != milestone.adv_document_type_id or (
                document.order_id != milestone.sale_line_id.order_id
            ):
                raise ValidationError(
                    self.env._(
                        "Milestone %(milestone)s needs a document '%(type)s' of its own sales order: "
                        "%(document)s is not one.",
                        milestone=milestone.name,
                        type=milestone.adv_document_type_id.name or "-",
                        document=document.display_name,
                    )
                )

    # ------------------------------------------------------------------ business
    @api.model
    def _adv_reached_percentage(self, sale_lines, day):
        """{sale line id: share of its quantity delivered by milestones reached by ``day``}: a milestone
        line's delivered quantity as of a date (sale_project counts every reached milestone)."""
        groups = self.sudo()._read_group(
            [("sale_line_id", "in", sale_lines.ids), ("is_reached", "=", True), ("reached_date", "<=", day)],
            ["sale_line_id"],
            ["quantity_percentage:sum"],
        )
        return {sale_line.id: percentage for sale_line, percentage in groups}

    @api.model
    def _adv_to_invoice(self, orders, cutoffs, period_bound):
        """Reached milestones of ``orders`` whose share is not on a posted invoice yet, taken in the
        order they were reached; ``period_bound``: only those reached by the order's cut-off."""
        milestones = self.sudo().search(
            [("sale_line_id.order_id", "in", orders.ids), ("is_reached", "=", True)],
            order="reached_date, id",
        )
        invoiced = {}
        done = defaultdict(float)
        result = self.browse()
        for milestone in milestones:
            line = milestone.sale_line_id
            if period_bound and milestone.reached_date and milestone.reached_date > cutoffs[line.order_id.id]:
                continue
            if line.id not in invoiced:
                invoiced[line.id] = (
                    line.qty_invoiced_posted / line.product_uom_qty if line.product_uom_qty else 0.0
                )
            done[line.id] += milestone.quantity_percentage
            # A milestone is invoiced once the posted share of its line covers it and those before it.
            if done[line.id] > invoiced[line.id] + 1e-6:
                result |= milestone
        return result

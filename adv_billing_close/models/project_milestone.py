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
        string="Order Document",
        compute="_compute_adv_document_id",
        compute_sudo=True,
        help="The order's contract document of the required type (one per order and type).",
    )
    adv_document_file_ids = fields.Many2many(
        "ir.attachment", string="Order Document Files", compute="_compute_adv_document_id", compute_sudo=True
    )
    adv_acceptance_id = fields.Many2one(
        "ir.attachment",
        string="Acceptance File",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        domain="[('id', 'in', adv_document_file_ids)]",
        help="This milestone's own acceptance report among the files of the order's document (e.g. the PV "
        "of this lot): when several milestones of the order need the same document, each is invoiced on "
        "its own file.",
    )

    # ------------------------------------------------------------------ compute
    @api.depends("adv_document_type_id", "sale_line_id.order_id")
    def _compute_adv_document_id(self):
        documents = self.env["adv.document"].search(
            [
                ("order_id", "in", self.sale_line_id.order_id.ids),
                ("type_id", "in", self.adv_document_type_id.ids),
            ]
        )
        by_key = {(doc.order_id.id, doc.type_id.id): doc for doc in documents}
        for milestone in self:
            document = by_key.get((milestone.sale_line_id.order_id.id, milestone.adv_document_type_id.id))
            milestone.adv_document_id = document
            milestone.adv_document_file_ids = document.attachment_ids if document else False

    # ------------------------------------------------------------------ constraints
    @api.constrains("adv_acceptance_id", "adv_document_type_id", "sale_line_id")
    def _check_adv_acceptance(self):
        accepted = self.filtered("adv_acceptance_id")
        groups = self.sudo()._read_group(
            [("adv_acceptance_id", "in", accepted.adv_acceptance_id.ids)], ["adv_acceptance_id"], ["__count"]
        )
        shared = [attachment for attachment, count in groups if count > 1]
        if shared:
            raise ValidationError(
                self.env._(
                    "File %s already accepts another milestone: each lot has its own acceptance report.",
                    shared[0].name,
                )
            )
        for milestone in accepted:
            if milestone.adv_acceptance_id not in milestone.adv_document_file_ids:
                raise ValidationError(
                    self.env._(
                        "The acceptance file of milestone %(milestone)s must be a file of the order's "
                        "document '%(type)s': add it to that document first.",
                        milestone=milestone.name,
                        type=milestone.adv_document_type_id.name or "-",
                    )
                )

    def _adv_is_accepted(self, shared_types):
        """Whether the required document accepts this milestone: the order's document is received,
        validated or waived and, when other milestones of the order need the same type
        (``shared_types``: {(order id, type id)} needed more than once), this one has its own file."""
        self.ensure_one()
        document = self.adv_document_id
        if not document.is_ok:
            return False
        if (
            document.state == "waived"
            or (self.sale_line_id.order_id.id, self.adv_document_type_id.id) not in shared_types
        ):
            return True
        return self.adv_acceptance_id in document.attachment_ids

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

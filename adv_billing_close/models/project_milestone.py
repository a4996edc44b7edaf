from odoo import fields, models


class ProjectMilestone(models.Model):
    _inherit = "project.milestone"

    adv_document_type_id = fields.Many2one(
        "adv.document.type",
        string="Required Document",
        domain="[('scope', '=', 'order')]",
        help="e.g. PV de recette: once reached, the milestone is invoiced only when the order has this "
        "document received (ADV contract documents).",
    )

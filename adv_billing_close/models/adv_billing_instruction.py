from odoo import api, fields, models


class AdvBillingInstruction(models.Model):
    _name = "adv.billing.instruction"
    _description = "Customer Invoicing Instructions"
    _inherit = ["mail.thread"]
    _order = "partner_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    po_required = fields.Boolean(string="PO Number Required", tracking=True)
    po_scope = fields.Selection(
        [("order", "Per Order"), ("consultant", "Per Consultant")], string="PO Scope", default="order"
    )
    portal = fields.Selection(
        [
            ("none", "None (mail)"),
            ("chorus_pro", "Chorus Pro"),
            ("coupa", "Coupa"),
            ("ariba", "Ariba"),
            ("other", "Other Platform"),
        ],
        string="E-invoicing / Supplier Portal",
        default="none",
        required=True,
        tracking=True,
    )
    portal_name = fields.Char()
    portal_url = fields.Char(string="Portal URL")
    portal_notes = fields.Text(string="Portal Access Notes")
    timesheet_attachment_required = fields.Boolean(string="Attach the Period's Timesheet", tracking=True)
    customer_validation_required = fields.Boolean(
        string="Customer Validates the Timesheet",
        help="Time is invoiced only after the customer approves it.",
    )
    mandatory_mentions = fields.Text(help="Copied onto every invoice of this customer.")
    recipient_ids = fields.Many2many("res.partner", string="Invoice Recipients")
    notes = fields.Text()

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "This customer already has invoicing instructions.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_name(self):
        for instruction in self:
            instruction.name = instruction.partner_id.display_name

    def _summary(self):
        """One short text for the board and the draft invoice."""
        self.ensure_one()
        parts = []
        if self.po_required:
            parts.append(self.env._("PO required"))
        if self.portal != "none":
            label = dict(self._fields["portal"]._description_selection(self.env))[self.portal]
            parts.append(self.env._("Upload on %s", self.portal_name or label))
        if self.timesheet_attachment_required:
            parts.append(self.env._("Attach timesheet"))
        if self.customer_validation_required:
            parts.append(self.env._("Customer validation"))
        return " · ".join(parts)

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import html2plaintext, plaintext2html


class SaleOrder(models.Model):
    _inherit = "sale.order"

    adv_billing_instruction_id = fields.Many2one(
        "adv.billing.instruction",
        string="Invoicing Instructions",
        compute="_compute_adv_billing_instruction_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        help="The customer's invoicing instructions; choose others to override them for this order.",
    )
    adv_po_ids = fields.One2many("adv.customer.po", "order_id", string="Customer POs")
    adv_preinvoice_ids = fields.One2many("adv.preinvoice", "order_id", string="Pre-invoice Lines")

    @api.depends("partner_id", "company_id")
    def _compute_adv_billing_instruction_id(self):
        partners = self.partner_id.commercial_partner_id
        instructions = self.env["adv.billing.instruction"].search(
            [("partner_id", "in", partners.ids), ("company_id", "in", self.company_id.ids)]
        )
        by_key = {(i.partner_id.id, i.company_id.id): i for i in instructions}
        for order in self:
            key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
            order.adv_billing_instruction_id = by_key.get(key, False)

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        instruction = self.adv_billing_instruction_id
        values["adv_billing_instruction_id"] = instruction.id
        period = self.env.context.get("adv_billing_period_id")
        if period:
            values["adv_billing_period_id"] = period
        if instruction.mandatory_mentions:
            mentions = plaintext2html(instruction.mandatory_mentions)
            note = values.get("narration") or ""
            values["narration"] = (
                Markup("%s%s") % (note, mentions) if html2plaintext(note).strip() else mentions
            )
        po = self._adv_valid_po(fields.Date.context_today(self))
        if po and not values.get("ref"):
            values["ref"] = po.name
        return values

    def _adv_valid_po(self, day):
        """The order-level PO valid on ``day`` (or any PO when none has dates)."""
        self.ensure_one()
        valid = self.adv_po_ids.filtered(
            lambda p: (not p.date_start or p.date_start <= day) and (not p.date_end or p.date_end >= day)
        )
        return valid[:1]

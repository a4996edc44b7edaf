from dataclasses import replace

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _adv_einvoice_mention_facts(self):
        # An invoice made from an order carries the order's instructions, which may differ from the
        # customer's: they decide whether its PO number is required.
        facts = super()._adv_einvoice_mention_facts()
        instruction = self.sudo().adv_billing_instruction_id
        if not instruction or self.move_type != "out_invoice":
            return facts
        return replace(facts, po_required=facts.customer._adv_einvoice_po_required(instruction))

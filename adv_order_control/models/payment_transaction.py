from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        # An online payment is the customer's own confirmation: it never ends on an ADV wizard or refusal.
        return super(
            PaymentTransaction, self.with_context(adv_customer_confirmation=True)
        )._check_amount_and_confirm_order()

from odoo import models

from ..tools import CUSTOMER_CONFIRMATION, flow


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        # An online payment is the customer's own confirmation: it never ends on an ADV wizard or refusal.
        with flow(CUSTOMER_CONFIRMATION):
            return super()._check_amount_and_confirm_order()

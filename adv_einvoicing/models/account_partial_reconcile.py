from odoo import api, fields, models

COLLECTED = "212"


class AccountPartialReconcile(models.Model):
    """A payment reconciled with a customer invoice prepares its Encaissée status (212); unreconciled, the
    status is withdrawn (see ``adv.einvoice.status._adv_withdraw``)."""

    _inherit = "account.partial.reconcile"

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._adv_einvoice_prepare_collections()
        return partials

    def unlink(self):
        if any(self.company_id.mapped("adv_einvoicing_enabled")):
            statuses = self.env["adv.einvoice.status"].sudo().search([("partial_id", "in", self.ids)])
            if statuses:
                statuses._adv_withdraw(lambda env: env._("the payment was unreconciled from the invoice"))
        return super().unlink()

    # ------------------------------------------------------------ business methods
    def _adv_einvoice_prepare_collections(self):
        """Encaissée statuses of the collections among these partials, in one batch.

        A collection is a partial between a posted customer invoice and a payment or a bank statement line:
        the amount is the partial's, in the invoice's currency, the date the payment's. A credit note, a
        write-off or an exchange difference reconciled with the invoice collects nothing (the credit note is
        an invoice of its own on the platform): no status."""
        partials = self.filtered(
            lambda p: p.company_id.adv_einvoicing_enabled and p.company_id.adv_einvoice_declare_collections
        )
        vals_list = []
        for partial in partials:
            for line, counterpart, amount in (
                (partial.debit_move_id, partial.credit_move_id, partial.debit_amount_currency),
                (partial.credit_move_id, partial.debit_move_id, partial.credit_amount_currency),
            ):
                invoice, payment = line.move_id, counterpart.move_id
                if invoice.move_type != "out_invoice" or invoice.state != "posted":
                    continue
                if not (payment.origin_payment_id or payment.statement_line_id):
                    continue
                vals_list.append(
                    {
                        "move_id": invoice.id,
                        "code": COLLECTED,
                        "date": fields.Datetime.to_datetime(counterpart.date),
                        "amount": amount,
                        "partial_id": partial.id,
                    }
                )
        return self.env["adv.einvoice.status"]._adv_prepare_outgoing(vals_list)

from odoo import api, models
from odoo.tools import SQL

# Current statuses that commit the buyer to pay: Approuvée, Approuvée partiellement, Paiement transmis.
COMMITTING = ("205", "206", "211")
PARTIAL = ("206", "211")
PAYMENT_SENT = "211"


class AdvCashForecast(models.Model):
    _inherit = "adv.cash.forecast"

    @api.model
    def _commitments_sql(self):
        """Invoices whose current e-invoicing status commits the buyer (companies that chose so): all that
        is open, or the amount the message gives for a partial approval or a payment sent (in the
        invoice's currency, converted at the invoice's rate); expected on the payment date the message
        gives, else on the due date, a payment sent on the day it was sent. Read from the latest status
        of the current code: the one that made it current."""
        return SQL(
            """
            SELECT DISTINCT ON (m.id) m.id AS move_id,
                   CASE WHEN s.code IN %(partial)s AND s.amount > 0 AND m.amount_total <> 0
                        THEN s.amount * ABS(m.amount_total_signed) / m.amount_total END AS amount,
                   COALESCE(s.expected_date,
                            CASE WHEN s.code = %(payment_sent)s THEN s.date::date END) AS date_expected
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
              JOIN adv_einvoice_status_code sc ON sc.id = m.adv_einvoice_status_id
              JOIN adv_einvoice_status s ON s.move_id = m.id AND s.code_id = m.adv_einvoice_status_id
             WHERE sc.code IN %(committing)s AND m.move_type = 'out_invoice' AND m.state = 'posted'
               AND c.adv_einvoicing_enabled AND c.adv_einvoice_forecast_approved
             ORDER BY m.id, s.date DESC, s.id DESC
            """,
            partial=PARTIAL,
            payment_sent=PAYMENT_SENT,
            committing=COMMITTING,
        )

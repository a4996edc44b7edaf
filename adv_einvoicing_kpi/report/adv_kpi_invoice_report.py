from odoo import api, models
from odoo.tools import SQL

REJECTED = "213"


class AdvKpiInvoiceReport(models.Model):
    _inherit = "adv.kpi.invoice.report"

    @api.model
    def _billing_error_sql(self):
        """An invoice the e-invoicing platform rejected (Rejetée, 213) is a billing error: legally it was
        not issued. The credit note that cancels it to re-issue it is that same error: not counted twice."""
        return SQL(
            "(%s OR (%s AND NOT (m.reversed_entry_id IS NOT NULL AND %s)))",
            self._einvoice_rejected_sql(SQL("m.id")),
            super()._billing_error_sql(),
            self._einvoice_rejected_sql(SQL("m.reversed_entry_id")),
        )

    @api.model
    def _einvoice_rejected_sql(self, move_id):
        return SQL(
            "EXISTS (SELECT 1 FROM adv_einvoice_status s WHERE s.move_id = %s AND s.code = %s)",
            move_id,
            REJECTED,
        )

from odoo import api, fields, models
from odoo.tools import SQL


class AdvKpiInvoiceReport(models.Model):
    """One row per posted customer invoice or credit note with the facts behind the billing KPIs.

    It is the drill-down of the monthly snapshots and the live source of the current month."""

    _name = "adv.kpi.invoice.report"
    _description = "ADV KPI: Invoice Facts"
    _auto = False
    _order = "invoice_date desc, id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    agent_id = fields.Many2one("res.users", string="ADV Agent", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Customer Invoice"), ("out_refund", "Customer Credit Note")], readonly=True
    )
    invoice_date = fields.Date(readonly=True)
    month = fields.Date(readonly=True)
    amount_total = fields.Monetary(string="Total (tax incl.)", readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed Amount", readonly=True)
    reference_date = fields.Date(
        readonly=True,
        help="Latest of the billing period end, the last timesheet invoiced and the milestone reached date.",
    )
    billing_delay = fields.Float(
        string="Billing Delay (days)",
        readonly=True,
        aggregator="avg",
        help="Invoice date minus the reference date (never negative); empty when the invoice has no "
        "reference date (e.g. invoiced at order).",
    )
    delay_amount = fields.Float(
        string="Delay x Amount", readonly=True, help="Untaxed amount times billing delay (weighted average)."
    )
    invoicing_deadline = fields.Date(readonly=True)
    is_on_time = fields.Boolean(string="Issued on Time", readonly=True)
    is_credited = fields.Boolean(string="Credited Afterwards", readonly=True)
    is_otif = fields.Boolean(string="Billing OTIF", readonly=True)
    is_billing_error = fields.Boolean(string="Billing Error", readonly=True)
    invoice_count = fields.Integer(readonly=True)
    refund_count = fields.Integer(string="Credit Note Count", readonly=True)
    otif_count = fields.Integer(string="OTIF Invoices", readonly=True)
    otif_base = fields.Integer(string="Invoices with a Deadline", readonly=True)

    @property
    def _table_query(self):
        return self._facts_query(SQL("TRUE"))

    @api.model
    def _facts_query(self, where):
        """SELECT of the invoice facts, restricted by ``where`` (an SQL on ``m``, the account_move)."""
        return SQL(
            """
            SELECT m.id AS id,
                   m.id AS move_id,
                   m.company_id,
                   c.currency_id,
                   m.commercial_partner_id AS partner_id,
                   m.invoice_user_id AS salesperson_id,
                   COALESCE(m.adv_agent_id, m.create_uid) AS agent_id,
                   m.move_type,
                   m.invoice_date,
                   date_trunc('month', m.invoice_date)::date AS month,
                   ABS(m.amount_total_signed) AS amount_total,
                   ABS(m.amount_untaxed_signed) AS amount_untaxed,
                   ref.reference_date,
                   delay.days AS billing_delay,
                   ABS(m.amount_untaxed_signed) * delay.days AS delay_amount,
                   dl.deadline AS invoicing_deadline,
                   COALESCE(m.invoice_date <= dl.deadline, FALSE) AS is_on_time,
                   cr.credited AS is_credited,
                   COALESCE(m.move_type = 'out_invoice' AND m.invoice_date <= dl.deadline AND NOT cr.credited,
                            FALSE) AS is_otif,
                   %(billing_error)s AS is_billing_error,
                   (m.move_type = 'out_invoice')::int AS invoice_count,
                   (m.move_type = 'out_refund')::int AS refund_count,
                   COALESCE(m.move_type = 'out_invoice' AND m.invoice_date <= dl.deadline AND NOT cr.credited,
                            FALSE)::int AS otif_count,
                   (m.move_type = 'out_invoice' AND dl.deadline IS NOT NULL)::int AS otif_base
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
              LEFT JOIN adv_billing_period bp ON bp.id = m.adv_billing_period_id
              LEFT JOIN LATERAL (
                    SELECT MAX(aal.date) AS last_date
                      FROM account_analytic_line aal
                     WHERE aal.timesheet_invoice_id = m.id
                   ) ts ON TRUE
              LEFT JOIN LATERAL (
                    SELECT MAX(pm.reached_date) AS reached
                      FROM account_move_line aml
                      JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                      JOIN project_milestone pm ON pm.sale_line_id = rel.order_line_id AND pm.is_reached
                     WHERE aml.move_id = m.id
                   ) ms ON TRUE
              CROSS JOIN LATERAL (
                    SELECT GREATEST(bp.date_end, ts.last_date, ms.reached) AS reference_date
                   ) ref
              CROSS JOIN LATERAL (
                    SELECT CASE WHEN m.move_type = 'out_invoice' AND ref.reference_date IS NOT NULL
                                THEN GREATEST(m.invoice_date - ref.reference_date, 0)::float END AS days
                   ) delay
              CROSS JOIN LATERAL (
                    SELECT COALESCE(bp.invoicing_deadline,
                                    ref.reference_date
                                    + COALESCE(c.adv_kpi_billing_deadline_days, 0)) AS deadline
                   ) dl
              CROSS JOIN LATERAL (
                    SELECT EXISTS (
                        -- IS NOT NULL: when the planner hashes this subquery, it reads the credit
                        -- notes through the partial index instead of every entry.
                        SELECT 1 FROM account_move r
                         WHERE r.reversed_entry_id = m.id AND r.reversed_entry_id IS NOT NULL
                           AND r.state = 'posted'
                    ) AS credited
                   ) cr
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND %(where)s
            """,
            billing_error=self._billing_error_sql(),
            where=where,
        )

    @api.model
    def _billing_error_sql(self):
        """The one definition of a billing error, a boolean SQL on the move ``m``: a credit note whose
        reason is a billing error. Bridges add their own errors (e.g. an invoice the e-invoicing platform
        rejected); the billing-error rate of the snapshots counts what this says."""
        return SQL("COALESCE(m.adv_refund_reason = 'billing_error', FALSE)")

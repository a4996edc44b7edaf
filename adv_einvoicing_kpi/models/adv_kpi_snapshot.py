from odoo import api, fields, models
from odoo.tools import SQL

DEPOSITED, APPROVED, REFUSED, COLLECTED, REJECTED = "200", "205", "210", "212", "213"

# Summed measures of the e-invoicing lifecycle, in the order of the facts below.
EINVOICE_MEASURES = [
    "einvoice_deposited_count",
    "einvoice_rejected_count",
    "einvoice_refused_count",
    "einvoice_approved_count",
    "einvoice_approval_days",
    "einvoice_collected_count",
    "einvoice_collection_days",
    "einvoice_paid_count",
    "einvoice_declared_count",
]
# Ratio -> (SQL over the month's summed row ``r``, its base: empty when the base is zero).
EINVOICE_RATIOS = {
    "einvoice_rejection_rate": (
        "100.0 * r.einvoice_rejected_count / r.einvoice_deposited_count",
        "einvoice_deposited_count",
    ),
    "einvoice_refusal_rate": (
        "100.0 * r.einvoice_refused_count / r.einvoice_deposited_count",
        "einvoice_deposited_count",
    ),
    "einvoice_approval_time": (
        "r.einvoice_approval_days / r.einvoice_approved_count",
        "einvoice_approved_count",
    ),
    "einvoice_collection_time": (
        "r.einvoice_collection_days / r.einvoice_collected_count",
        "einvoice_collected_count",
    ),
    "einvoice_declared_rate": (
        "100.0 * r.einvoice_declared_count / r.einvoice_paid_count",
        "einvoice_paid_count",
    ),
}


class AdvKpiSnapshot(models.Model):
    _inherit = "adv.kpi.snapshot"

    einvoice_deposited_count = fields.Integer(
        string="E-Invoices Deposited",
        readonly=True,
        help="Invoices and credit notes Déposée (200) in the month.",
    )
    einvoice_rejected_count = fields.Integer(
        string="E-Invoices Rejected",
        readonly=True,
        help="Invoices and credit notes Rejetée (213) in the month.",
    )
    einvoice_refused_count = fields.Integer(
        string="E-Invoices Refused",
        readonly=True,
        help="Invoices and credit notes Refusée (210) in the month.",
    )
    einvoice_approved_count = fields.Integer(
        string="E-Invoices Approved",
        readonly=True,
        help="Deposited invoices first Approuvée (205) in the month.",
    )
    einvoice_approval_days = fields.Float(string="Days to Approval (sum)", readonly=True)
    einvoice_collected_count = fields.Integer(
        string="E-Invoices Collected",
        readonly=True,
        help="Deposited invoices first Encaissée (212) in the month.",
    )
    einvoice_collection_days = fields.Float(string="Days to Collection (sum)", readonly=True)
    einvoice_paid_count = fields.Integer(
        string="E-Invoices Paid",
        readonly=True,
        help="Customer invoices with a lifecycle status whose payment was completed in the month.",
    )
    einvoice_declared_count = fields.Integer(
        string="Paid E-Invoices Declared",
        readonly=True,
        help="Of the e-invoices paid in the month, those whose Encaissée (212) status the company declared "
        "to the platform by the as-of date.",
    )
    einvoice_rejection_rate = fields.Float(
        string="E-Invoice Rejection Rate (%)",
        readonly=True,
        aggregator="avg",
        help="E-invoices rejected by the platform (213) / e-invoices deposited (200) in the month, by count.",
    )
    einvoice_refusal_rate = fields.Float(
        string="E-Invoice Refusal Rate (%)",
        readonly=True,
        aggregator="avg",
        help="E-invoices refused by the buyer (210) / e-invoices deposited (200) in the month, by count.",
    )
    einvoice_approval_time = fields.Float(
        string="Days Deposited to Approved",
        readonly=True,
        aggregator="avg",
        help="Average days from the first Déposée (200) to the first Approuvée (205) of the invoices first "
        "approved in the month.",
    )
    einvoice_collection_time = fields.Float(
        string="Days Deposited to Collected",
        readonly=True,
        aggregator="avg",
        help="Average days from the first Déposée (200) to the first Encaissée (212) of the invoices first "
        "collected in the month.",
    )
    einvoice_declared_rate = fields.Float(
        string="Paid E-Invoices Declared (%)",
        readonly=True,
        aggregator="avg",
        help="E-invoices paid in the month whose Encaissée (212) was declared to the platform / e-invoices "
        "paid in the month.",
    )

    # ------------------------------------------------------------------ hooks
    @api.model
    def _extra_measures(self):
        return super()._extra_measures() + EINVOICE_MEASURES

    @api.model
    def _extra_ratios(self):
        return dict(
            super()._extra_ratios(), **{name: SQL(sql) for name, (sql, _b) in EINVOICE_RATIOS.items()}
        )

    @api.model
    def _ratio_bases(self):
        return dict(super()._ratio_bases(), **{name: base for name, (_s, base) in EINVOICE_RATIOS.items()})

    @api.model
    def _extra_facts_queries(self, company, start, end):
        return [
            *super()._extra_facts_queries(company, start, end),
            (EINVOICE_MEASURES, self._einvoice_facts_sql(company, start, end)),
        ]

    # ------------------------------------------------------------------ business
    @api.model
    def _einvoice_facts_sql(self, company, start, end):
        """The one definition of the e-invoicing KPIs: one row per invoice or credit note of ``company``
        with a lifecycle status, on the dimensions of the invoice facts (customer, salesperson, ADV agent).

        A status counts in the month of its date (UTC day). Times run from the first Déposée to the first
        Approuvée / Encaissée, whole days, counted in the month the first one came: a later partial
        collection moves nothing. An e-invoice is paid in the month of its last reconciliation, once
        fully paid; declared when a seller's Encaissée status was sent to the platform by ``end``."""
        in_month = SQL("BETWEEN %s AND %s", start, end)
        return SQL(
            """
            SELECT m.commercial_partner_id AS partner_id, m.invoice_user_id AS salesperson_id,
                   COALESCE(m.adv_agent_id, m.create_uid) AS agent_id,
                   f.deposited_in::int AS einvoice_deposited_count,
                   f.rejected_in::int AS einvoice_rejected_count,
                   f.refused_in::int AS einvoice_refused_count,
                   t.approved::int AS einvoice_approved_count,
                   CASE WHEN t.approved THEN f.approved::date - f.deposited::date ELSE 0 END
                       AS einvoice_approval_days,
                   t.collected::int AS einvoice_collected_count,
                   CASE WHEN t.collected THEN f.collected::date - f.deposited::date ELSE 0 END
                       AS einvoice_collection_days,
                   COALESCE(paid.day %(in_month)s, FALSE)::int AS einvoice_paid_count,
                   COALESCE(paid.day %(in_month)s AND f.declared, FALSE)::int AS einvoice_declared_count
              FROM (
                    SELECT s.move_id,
                           MIN(s.date) FILTER (WHERE s.code = %(deposited)s) AS deposited,
                           MIN(s.date) FILTER (WHERE s.code = %(approved)s) AS approved,
                           MIN(s.date) FILTER (WHERE s.code = %(collected)s) AS collected,
                           COALESCE(bool_or(s.code = %(deposited)s AND s.date::date %(in_month)s), FALSE)
                               AS deposited_in,
                           COALESCE(bool_or(s.code = %(rejected)s AND s.date::date %(in_month)s), FALSE)
                               AS rejected_in,
                           COALESCE(bool_or(s.code = %(refused)s AND s.date::date %(in_month)s), FALSE)
                               AS refused_in,
                           COALESCE(bool_or(s.code = %(collected)s AND s.issuer = 'seller'
                                            AND s.sent_date::date <= %(end)s), FALSE) AS declared
                      FROM adv_einvoice_status s
                     WHERE s.company_id = %(company)s AND s.date::date <= %(end)s
                  GROUP BY s.move_id
                   ) f
              JOIN account_move m ON m.id = f.move_id
             CROSS JOIN LATERAL (
                   SELECT f.deposited IS NOT NULL AND f.approved >= f.deposited
                              AND f.approved::date %(in_month)s AS approved,
                          f.deposited IS NOT NULL AND f.collected >= f.deposited
                              AND f.collected::date %(in_month)s AS collected
                  ) t
              LEFT JOIN LATERAL (
                   SELECT MAX(p.max_date) AS day
                     FROM account_move_line aml
                     JOIN account_account a ON a.id = aml.account_id AND a.account_type = 'asset_receivable'
                     JOIN account_partial_reconcile p ON p.debit_move_id = aml.id
                    WHERE aml.move_id = m.id
                  ) paid ON m.move_type = 'out_invoice' AND m.payment_state IN ('paid', 'in_payment')
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
            """,
            in_month=in_month,
            end=end,
            company=company.id,
            deposited=DEPOSITED,
            approved=APPROVED,
            collected=COLLECTED,
            rejected=REJECTED,
            refused=REFUSED,
        )

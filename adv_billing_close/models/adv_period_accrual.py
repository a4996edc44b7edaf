from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AdvPeriodAccrual(models.Model):
    _name = "adv.period.accrual"
    _description = "FAE and PCA per Period and Order"
    _order = "period_id desc, fae_amount desc"
    _check_company_auto = True

    period_id = fields.Many2one("adv.billing.period", required=True, ondelete="cascade", index=True)
    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    user_id = fields.Many2one("res.users", string="Salesperson")
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(related="period_id.date_end", store=True)
    fae_amount = fields.Monetary(string="FAE", help="Earned up to the period end and not invoiced by then.")
    pca_amount = fields.Monetary(string="PCA", help="Invoiced by the period end for service after it.")

    _sql_constraints = [
        ("period_order_uniq", "unique(period_id, order_id)", "One accrual row per period and order."),
    ]

    @api.model
    def _store_for_period(self, period):
        """Replace the period's rows with FAE/PCA computed as of the period end."""
        self.search([("period_id", "=", period.id)]).unlink()
        # Closing is an ADV Manager's act: the figures cover every order, whoever sells it.
        fae = self.sudo()._fae_by_order(period)
        pca = self.sudo()._pca_by_order(period)
        orders = self.env["sale.order"].sudo().browse(set(fae) | set(pca))
        return self.create(
            [
                {
                    "period_id": period.id,
                    "order_id": order.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "user_id": order.user_id.id,
                    "company_id": period.company_id.id,
                    "fae_amount": fae.get(order.id, 0.0),
                    "pca_amount": pca.get(order.id, 0.0),
                }
                for order in orders
            ]
        )

    @api.model
    def _fae_by_order(self, period):
        """Earned minus invoiced as of the period end, with sale/sale_timesheet's own point-in-time
        helpers (``accrual_entry_date`` context): timesheets dated up to the period end, invoices
        dated up to it. Stored quantities are read, never recomputed nor written."""
        orders = self.env["sale.order"].search(
            [
                ("state", "=", "sale"),
                ("company_id", "=", period.company_id.id),
                # Whatever is invoiced today may have been earned and unbilled at the period end.
                ("order_line.qty_delivered", ">", 0),
            ]
        )
        lines = orders.order_line.filtered(lambda sol: not sol.display_type and not sol.is_downpayment)
        # Pending recomputations done first: under the point-in-time context they would be stored as of
        # the period end.
        self.env.flush_all()
        lines = lines.with_context(accrual_entry_date=period.date_end)
        timesheet_lines = lines.filtered(lambda sol: sol.qty_delivered_method == "timesheet")
        delivered = timesheet_lines._get_delivered_quantity_by_analytic(
            timesheet_lines._timesheet_compute_delivered_quantity_domain()
        )
        # Milestones count as reached by the period end, not as reached today.
        milestone_lines = lines.filtered(lambda sol: sol.qty_delivered_method == "milestones")
        delivered.update(
            {
                line_id: share * milestone_lines.browse(line_id).product_uom_qty
                for line_id, share in self.env["project.milestone"]
                ._adv_reached_percentage(milestone_lines, period.date_end)
                .items()
            }
        )
        company_currency = period.company_id.currency_id
        result = defaultdict(float)
        for line in lines:
            if line in timesheet_lines or line in milestone_lines:
                qty_delivered = delivered.get(line.id, 0.0)
            else:
                qty_delivered = line.qty_delivered
            qty_invoiced = sum(
                inv_line.product_uom_id._compute_quantity(inv_line.quantity, line.product_uom)
                * -inv_line.move_id.direction_sign
                for inv_line in line._get_invoice_lines()
                if inv_line.move_id.state == "posted"
            )
            earned = qty_delivered - qty_invoiced
            if earned > 0:
                price = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
                amount = line.currency_id.round(earned * price)
                result[line.order_id.id] += line.currency_id._convert(
                    amount, company_currency, period.company_id, period.date_end
                )
        return {order_id: amount for order_id, amount in result.items() if amount}

    @api.model
    def _pca_by_order(self, period):
        """Invoice lines posted by the period end whose service runs past it, prorated by days."""
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", period.company_id.id),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("move_id.state", "=", "posted"),
                ("move_id.invoice_date", "<=", period.date_end),
                ("adv_service_date_end", ">", period.date_end),
                ("sale_line_ids", "!=", False),
            ]
        )
        result = defaultdict(float)
        for line in lines:
            start = line.adv_service_date_start or line.move_id.invoice_date
            total_days = (line.adv_service_date_end - start).days + 1
            after_days = (
                line.adv_service_date_end - max(period.date_end, start - relativedelta(days=1))
            ).days
            # Service dates are checked on the invoice line; one saved before that check may end before
            # it starts: its service, after the period end, is all deferred (never a division by zero).
            share = min(after_days / total_days, 1.0) if total_days > 0 else 1.0
            # The balance is in company currency; income lines are credits, credit notes debits.
            amount = -line.balance * share
            result[line.sale_line_ids[:1].order_id.id] += period.company_id.currency_id.round(amount)
        return dict(result)

    @api.model
    def _create_accrual_entry(self, period):
        """FAE and PCA journal entry at the period end, reversed on the 1st of the next month."""
        company = period.company_id
        missing = [
            label
            for label, value in (
                (self.env._("journal"), company.adv_accrual_journal_id),
                (self.env._("FAE account"), company.adv_fae_account_id),
                (self.env._("PCA account"), company.adv_pca_account_id),
                (self.env._("income account"), company.adv_accrual_income_account_id),
            )
            if not value
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Set the accrual %s in the ADV settings, or switch accrual entries off.",
                    ", ".join(missing),
                )
            )
        fae, pca = period.fae_total, period.pca_total
        if company.currency_id.is_zero(fae) and company.currency_id.is_zero(pca):
            return self.env["account.move"]
        label = self.env._("FAE/PCA %s", period.name)
        lines = []
        for account, debit, credit in (
            (company.adv_fae_account_id, fae, 0.0),
            (company.adv_accrual_income_account_id, 0.0, fae),
            (company.adv_accrual_income_account_id, pca, 0.0),
            (company.adv_pca_account_id, 0.0, pca),
        ):
            if debit or credit:
                lines.append(
                    Command.create(
                        {"name": label, "account_id": account.id, "debit": debit, "credit": credit}
                    )
                )
        # Posting is part of the close an ADV Manager decides; they need no accounting rights.
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company.adv_accrual_journal_id.id,
                    "date": period.date_end,
                    "ref": label,
                    "line_ids": lines,
                }
            )
        )
        move.action_post()
        reversal_date = period.date_end + relativedelta(days=1)
        reversal = move._reverse_moves(default_values_list=[{"date": reversal_date, "ref": label}])
        reversal.action_post()
        return move

    @api.model
    def _cancel_accrual_entry(self, period):
        """Cancel the period's accrual entry and its reversal of the next day, each by an entry at its
        own date: posted entries stay (the ledger keeps the history), the balances go back to zero.
        Returns the cancelling entries. Part of the reopening an ADV Manager decides."""
        move = period.accrual_move_id.sudo()
        entries = move | move.reversal_move_ids
        entries.filtered(lambda m: m.state == "draft").unlink()
        entries = entries.exists().filtered(lambda m: m.state == "posted")
        label = self.env._("Cancel FAE/PCA %s (period reopened)", period.name)
        cancellations = entries._reverse_moves(
            default_values_list=[{"date": entry.date, "ref": label} for entry in entries]
        )
        cancellations.action_post()
        return cancellations

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.adv_order_control.tools import check_owned_fields

from .sale_order import InvoicingScope, invoicing_scope

# The billing period an invoice was made for decides how the invoicing gate judges it at posting:
# only the board records it (as superuser, through sale's invoice creation).
OWNED_FIELDS = {"adv_billing_period_id": None}


class AccountMove(models.Model):
    _inherit = "account.move"

    adv_billing_instruction_id = fields.Many2one(
        "adv.billing.instruction",
        string="Invoicing Instructions",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    adv_billing_period_id = fields.Many2one(
        "adv.billing.period", string="Billing Period", readonly=True, copy=False, index="btree_not_null"
    )
    adv_instruction_summary = fields.Char(compute="_compute_adv_instruction_summary")
    adv_portal_upload_required = fields.Boolean(compute="_compute_adv_instruction_summary")
    adv_portal_uploaded_on = fields.Date(string="Uploaded on Portal", copy=False, tracking=True)

    @api.depends("adv_billing_instruction_id")
    def _compute_adv_instruction_summary(self):
        for move in self:
            instruction = move.adv_billing_instruction_id
            move.adv_instruction_summary = instruction._summary() if instruction else False
            move.adv_portal_upload_required = bool(instruction) and instruction.portal != "none"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        return super().write(vals)

    def _compute_adv_invoicing_warning(self):
        # The draft's banner says what posting will say: same cut-off, this draft not yet consuming.
        with invoicing_scope(self._adv_invoicing_scope()):
            return super()._compute_adv_invoicing_warning()

    def action_post(self):
        # The invoicing gate (adv_order_control's check, inside) judges each order at the cut-off of
        # the invoices posted now; then the POs they consume raise their 80 % / 100 % alerts at once.
        with invoicing_scope(self._adv_invoicing_scope()):
            result = super().action_post()
        posted = self.filtered(lambda m: m.state == "posted" and m.move_type in ("out_invoice", "out_refund"))
        posted.line_ids.sale_line_ids.order_id.sudo().adv_po_ids._check_consumption()
        return result

    def action_adv_mark_uploaded(self):
        if self.filtered(lambda m: m.state != "posted"):
            raise UserError(
                self.env._("Post the invoice before recording its upload on the customer's portal.")
            )
        self.adv_portal_uploaded_on = fields.Date.context_today(self)

    def _adv_attach_timesheets(self):
        """Attach the timesheet report of the invoiced lines when the customer asks for it."""
        report = self.env.ref("hr_timesheet.timesheet_report")
        for move in self.filtered(lambda m: m.adv_billing_instruction_id.timesheet_attachment_required):
            timesheets = (
                self.env["account.analytic.line"].sudo().search([("timesheet_invoice_id", "=", move.id)])
            )
            if not timesheets:
                continue
            content, report_type = report._render(report.report_name, timesheets.ids)
            extension = "pdf" if report_type == "pdf" else "html"
            self.env["ir.attachment"].create(
                {
                    "name": self.env._(
                        "Timesheet %(period)s.%(ext)s",
                        period=move.adv_billing_period_id.name or "",
                        ext=extension,
                    ),
                    "raw": content,
                    "res_model": "account.move",
                    "res_id": move.id,
                }
            )

    def _adv_invoicing_scope(self):
        """See ``sale.order._adv_invoicing_blockers``: an invoice the board made is judged at its period
        end; another at the date of its latest timesheet, else its invoice date, else today."""
        today = fields.Date.context_today(self)
        dates, amounts = {}, defaultdict(float)
        invoices = self.sudo().filtered(lambda m: m.move_type == "out_invoice")
        for move in invoices:
            if move.adv_billing_period_id:
                day = move.adv_billing_period_id.date_end
            else:
                day = max(move.timesheet_ids.mapped("date"), default=None) or move.invoice_date or today
            for line in move.invoice_line_ids.filtered("sale_line_ids"):
                order = line.sale_line_ids.order_id[:1]
                dates[order.id] = max(dates.get(order.id, day), day)
                amounts[order.id] += line.price_subtotal
        return InvoicingScope(
            dates=dates,
            period_bound=bool(invoices) and all(invoices.mapped("adv_billing_period_id")),
            amounts=dict(amounts),
            move_ids=tuple(move_id for move_id in invoices.ids if isinstance(move_id, int)),
        )

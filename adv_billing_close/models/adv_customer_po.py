from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.adv_order_control.tools import InvoicingBlocker, check_owned_fields, reader_env

# Which alert was last raised is the consumption check's own record.
OWNED_FIELDS = {"alert_level": None}


class AdvCustomerPo(models.Model):
    _name = "adv.customer.po"
    _description = "Customer Purchase Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_end desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="PO Number", required=True, tracking=True)
    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    employee_id = fields.Many2one(
        "hr.employee",
        string="Consultant",
        check_company=True,
        help="Leave empty for a PO covering the whole order.",
    )
    date_start = fields.Date(string="Valid From")
    date_end = fields.Date(string="Valid Until")
    ceiling_type = fields.Selection(
        [("none", "No Ceiling"), ("amount", "Amount"), ("hours", "Hours")], default="none", required=True
    )
    ceiling_amount = fields.Monetary()
    ceiling_hours = fields.Float()
    consumed = fields.Float(
        compute="_compute_consumed", help="Invoiced amount or hours logged under this PO."
    )
    consumed_percent = fields.Float(compute="_compute_consumed")
    alert_level = fields.Selection(
        [("none", "Below 80 %"), ("80", "80 % consumed"), ("100", "Fully consumed")],
        default="none",
        readonly=True,
        tracking=True,
    )

    @api.constrains("date_start", "date_end", "ceiling_type", "ceiling_amount", "ceiling_hours")
    def _check_values(self):
        for po in self:
            if po.date_start and po.date_end and po.date_start > po.date_end:
                raise ValidationError(
                    self.env._("PO %s ends before it starts: fix its validity dates.", po.name)
                )
            if po.ceiling_type == "amount" and po.ceiling_amount <= 0:
                raise ValidationError(self.env._("Give PO %s a positive amount ceiling.", po.name))
            if po.ceiling_type == "hours" and po.ceiling_hours <= 0:
                raise ValidationError(self.env._("Give PO %s a positive hour ceiling.", po.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        return super().write(vals)

    @api.depends("ceiling_type", "ceiling_amount", "ceiling_hours", "order_id")
    def _compute_consumed(self):
        consumed = self._consumed_by_po()
        for po in self:
            po.consumed = consumed.get(po.id, 0.0)
            ceiling = po._ceiling()
            po.consumed_percent = 100.0 * po.consumed / ceiling if ceiling else 0.0

    def _ceiling(self):
        self.ensure_one()
        return {"amount": self.ceiling_amount, "hours": self.ceiling_hours}.get(self.ceiling_type, 0.0)

    def _consumed_by_po(self, exclude_move_ids=()):
        """{po id: invoiced amount or logged hours}; ``exclude_move_ids``: invoices being posted, whose
        amount is judged as the amount to invoice, not as already consumed."""
        amounts = self._invoiced_amounts(exclude_move_ids)
        hours = self._logged_hours()
        result = {}
        for po in self:
            if po.ceiling_type == "amount":
                result[po.id] = amounts.get(po.order_id.id, 0.0)
            elif po.ceiling_type == "hours":
                result[po.id] = hours.get(po.id, 0.0)
        return result

    def _invoiced_amounts(self, exclude_move_ids=()):
        """Untaxed amount of invoices minus credit notes, per order; drafts count, as they will be sent."""
        orders = self.filtered(lambda p: p.ceiling_type == "amount").order_id
        if not orders:
            return {}
        domain = [
            ("sale_line_ids.order_id", "in", orders.ids),
            ("move_id.state", "in", ("draft", "posted")),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ("display_type", "=", "product"),
        ]
        if exclude_move_ids:
            domain.append(("move_id", "not in", list(exclude_move_ids)))
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(domain, ["move_id", "sale_line_ids"], ["price_subtotal:sum"])
        )
        result = {}
        for move, sale_line, subtotal in groups:
            if sale_line.order_id not in orders:
                continue
            sign = -1 if move.move_type == "out_refund" else 1
            result[sale_line.order_id.id] = result.get(sale_line.order_id.id, 0.0) + sign * subtotal
        return result

    def _logged_hours(self):
        result = {}
        for po in self.filtered(lambda p: p.ceiling_type == "hours"):
            domain = [("so_line.order_id", "=", po.order_id.id), ("project_id", "!=", False)]
            if po.employee_id:
                domain.append(("employee_id", "=", po.employee_id.id))
            if po.date_start:
                domain.append(("date", ">=", po.date_start))
            if po.date_end:
                domain.append(("date", "<=", po.date_end))
            groups = self.env["account.analytic.line"].sudo()._read_group(domain, [], ["unit_amount:sum"])
            result[po.id] = groups[0][0] or 0.0
        return result

    def _adv_invoicing_blocker(self, day, employee, consumed, amount):
        """Why the POs ``self`` (the candidates of one order, or of one of its consultants) do not cover
        invoicing ``amount`` on ``day``: missing, expired, consumed (blocks) or exceeded by the amount
        (warning); None when they do. ``consumed``: {po id: consumed}, see :meth:`_consumed_by_po`."""
        who = self.env._(" for %s", employee.name) if employee else ""
        if not self:
            return InvoicingBlocker(
                code="po_missing",
                message=self.env._("Customer PO number missing%s: ask the customer for it.", who),
            )
        valid = self.filtered(
            lambda p: (not p.date_start or p.date_start <= day) and (not p.date_end or p.date_end >= day)
        )
        if not valid:
            return InvoicingBlocker(
                code="po_expired",
                message=self.env._("Customer PO%s expired before the period end: ask for a renewal.", who),
            )
        if any(p.ceiling_type == "none" for p in valid):
            return None
        left = {p: p._ceiling() - consumed.get(p.id, 0.0) for p in valid}
        if all(remaining <= 0 for remaining in left.values()):
            return InvoicingBlocker(
                code="po_consumed",
                message=self.env._("Customer PO%s is fully consumed: ask for an amendment.", who),
            )
        by_amount = valid.filtered(lambda p: p.ceiling_type == "amount")
        if not by_amount or len(by_amount) < len(valid):
            return None
        over = amount - sum(left[p] for p in by_amount)
        order = by_amount.order_id[:1]
        if order.currency_id.compare_amounts(over, 0.0) <= 0:
            return None
        return InvoicingBlocker(
            code="po_ceiling",
            message=self.env._(
                "Invoicing %(amount)s exceeds PO %(po)s by %(over)s: ask the customer for an amendment "
                "or invoice less.",
                amount=order._adv_format_amount(amount),
                po=", ".join(by_amount.mapped("name")),
                over=order._adv_format_amount(over),
            ),
            severity="warning",
        )

    def _check_consumption(self):
        """Post an alert (chatter + activity for the salesperson) when 80 % then 100 % are crossed."""
        self.invalidate_recordset(["consumed", "consumed_percent"])
        for po in self.filtered(lambda p: p.ceiling_type != "none"):
            level = "100" if po.consumed_percent >= 100 else "80" if po.consumed_percent >= 80 else "none"
            if level == po.alert_level or level == "none":
                continue
            po.sudo().alert_level = level
            salesperson = po.order_id.user_id or self.env.user
            message = reader_env(self.env, salesperson)._(
                "PO %(po)s is %(percent)s %% consumed: ask the customer for a new PO or an amendment.",
                po=po.name,
                percent=round(po.consumed_percent),
            )
            po.order_id.message_post(body=message)
            po.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=message,
                user_id=salesperson.id,
            )

    @api.model
    def _cron_check_consumption(self):
        self.search([("ceiling_type", "!=", "none"), ("alert_level", "!=", "100")])._check_consumption()

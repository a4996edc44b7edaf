from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    def _compute_consumed(self):
        amounts = self._invoiced_amounts()
        hours = self._logged_hours()
        for po in self:
            if po.ceiling_type == "amount":
                po.consumed = amounts.get(po.order_id.id, 0.0)
                po.consumed_percent = 100.0 * po.consumed / po.ceiling_amount if po.ceiling_amount else 0.0
            elif po.ceiling_type == "hours":
                po.consumed = hours.get(po.id, 0.0)
                po.consumed_percent = 100.0 * po.consumed / po.ceiling_hours if po.ceiling_hours else 0.0
            else:
                po.consumed = po.consumed_percent = 0.0

    def _invoiced_amounts(self):
        """Untaxed amount of posted invoices minus credit notes, per order."""
        orders = self.filtered(lambda p: p.ceiling_type == "amount").order_id
        if not orders:
            return {}
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("sale_line_ids.order_id", "in", orders.ids),
                    ("move_id.state", "=", "posted"),
                    ("display_type", "=", "product"),
                ],
                ["move_id"],
                ["price_subtotal:sum"],
            )
        )
        result = {}
        for move, subtotal in groups:
            sign = -1 if move.move_type == "out_refund" else 1
            for order in move.line_ids.sale_line_ids.order_id & orders:
                result[order.id] = result.get(order.id, 0.0) + sign * subtotal
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

    def _check_consumption(self):
        """Post an alert (chatter + activity for the salesperson) when 80 % then 100 % are crossed."""
        for po in self.filtered(lambda p: p.ceiling_type != "none"):
            level = "100" if po.consumed_percent >= 100 else "80" if po.consumed_percent >= 80 else "none"
            if level == po.alert_level or level == "none":
                continue
            po.alert_level = level
            message = self.env._(
                "PO %(po)s is %(percent)s %% consumed: ask the customer for a new PO or an amendment.",
                po=po.name,
                percent=round(po.consumed_percent),
            )
            po.order_id.message_post(body=message)
            po.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=message,
                user_id=(po.order_id.user_id or self.env.user).id,
            )

    @api.model
    def _cron_check_consumption(self):
        self.search([("ceiling_type", "!=", "none"), ("alert_level", "!=", "100")])._check_consumption()

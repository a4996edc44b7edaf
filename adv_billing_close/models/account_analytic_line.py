from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.adv_order_control.tools import check_owned_fields

# What a validated timesheet line may no longer change; invoicing fields stay writable.
LOCKED_FIELDS = {"date", "unit_amount", "employee_id", "project_id", "task_id", "so_line", "name", "user_id"}
# Set and cleared only by the validation and send-back of adv.timesheet.submission, after their own
# group check: the board invoices validated hours, so nobody validates their own by writing it.
OWNED_FIELDS = {"adv_validated": None}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    adv_validated = fields.Boolean(
        string="Validated (ADV)",
        readonly=True,
        copy=False,
        index=True,
        help="Locked by a validated monthly timesheet.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        lines = super().create(vals_list)
        lines.filtered("project_id")._adv_check_period_open()
        return lines

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        timesheets = self.filtered("project_id")
        if LOCKED_FIELDS & set(vals):
            timesheets._adv_check_unlocked()
            timesheets._adv_check_period_open()
        result = super().write(vals)
        if {"date", "employee_id"} & set(vals):
            # Nor may a line be moved into a frozen month.
            timesheets._adv_check_period_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_adv_locked(self):
        timesheets = self.filtered("project_id")
        timesheets._adv_check_unlocked()
        timesheets._adv_check_period_open()

    def _adv_is_manager(self):
        return self.env.su or self.env.user.has_group("adv_order_control.group_adv_manager")

    def _adv_check_unlocked(self):
        if self._adv_is_manager():
            return
        if self.filtered("adv_validated"):
            raise UserError(
                self.env._(
                    "These timesheet lines belong to a validated monthly timesheet: ask your manager or "
                    "the ADV team to send the timesheet back, then correct it and submit it again."
                )
            )

    def _adv_check_period_open(self):
        """Timesheets dated in a closed period, or of an employee whose month is validated, are frozen."""
        if not self or self._adv_is_manager():
            return
        dates = self.mapped("date")
        frozen = (
            self.env["adv.billing.period"]
            .sudo()
            .search_count(
                [
                    ("state", "=", "closed"),
                    ("company_id", "in", self.company_id.ids),
                    ("date_start", "<=", max(dates)),
                    ("date_end", ">=", min(dates)),
                ]
            )
        )
        if frozen and any(self._adv_in_closed_period(line) for line in self):
            raise UserError(
                self.env._("The billing period of these timesheets is closed: its figures are frozen.")
            )
        validated = (
            self.env["adv.timesheet.submission"]
            .sudo()
            .search(
                [
                    ("state", "=", "validated"),
                    ("employee_id", "in", self.employee_id.ids),
                    ("date_start", "<=", max(dates)),
                    ("date_end", ">=", min(dates)),
                ]
            )
        )
        for line in self:
            if validated.filtered(
                lambda s, ln=line: s.employee_id == ln.employee_id and s.date_start <= ln.date <= s.date_end
            ):
                raise UserError(
                    self.env._(
                        "The monthly timesheet of %s is validated: ask the manager to send it back first.",
                        line.employee_id.name,
                    )
                )

    def _adv_in_closed_period(self, line):
        return bool(
            self.env["adv.billing.period"]
            .sudo()
            .search_count(
                [
                    ("state", "=", "closed"),
                    ("company_id", "=", line.company_id.id),
                    ("date_start", "<=", line.date),
                    ("date_end", ">=", line.date),
                ],
                limit=1,
            )
        )

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import CHECKED_CONFIRMATION, flow


class AdvConfirmWizard(models.TransientModel):
    _name = "adv.confirm.wizard"
    _description = "Confirm Orders with ADV Checks"

    order_ids = fields.Many2many("sale.order", string="Orders", readonly=True)
    line_ids = fields.One2many("adv.confirm.wizard.line", "wizard_id", string="Issues", readonly=True)
    has_provisional = fields.Boolean(compute="_compute_flags")
    has_blocks = fields.Boolean(compute="_compute_flags")
    blocked_message = fields.Text(compute="_compute_flags")
    reason = fields.Text(help="Why the order is confirmed despite these issues; kept in the order's chatter.")
    regularisation_date = fields.Date(
        string="Regularisation Deadline", default=lambda self: self._default_date()
    )

    @api.model
    def _default_date(self):
        return fields.Date.context_today(self) + timedelta(days=self.env.company.adv_regularisation_days)

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._load_issues()
        return wizards

    # ------------------------------------------------------------------ compute
    @api.depends("line_ids")
    def _compute_flags(self):
        for wizard in self:
            wizard.has_provisional = any(wizard.line_ids.mapped("provisional"))
            blocked = wizard.line_ids.filtered(lambda ln: not ln.can_override)
            wizard.has_blocks = bool(blocked)
            wizard.blocked_message = wizard._blocked_text(blocked) if blocked else False

    # ------------------------------------------------------------------ actions
    def action_confirm(self):
        """Confirm past the issues the user may override, each decided again from the orders as they are:
        the lines only show what was found when the wizard opened (a client can write them)."""
        self.ensure_one()
        orders = self.order_ids
        orders._adv_sync_checklist()
        issues = orders._adv_confirmation_issues()
        blocked = [issue for issue in issues if not self._can_override(issue, self.env.user)]
        if blocked:
            raise UserError(self._blocked_text(blocked))
        needs_reason = [issue for issue in issues if issue.severity == "block" or issue.provisional]
        if needs_reason and not (self.reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason for confirming despite the issues listed: it is kept in the chatter."
                )
            )
        provisional = [issue for issue in issues if issue.provisional]
        if provisional and (
            not self.regularisation_date or self.regularisation_date < fields.Date.context_today(self)
        ):
            raise UserError(
                self.env._("Set a regularisation deadline from today on for the missing documents.")
            )
        for issue in needs_reason:
            orders._adv_log_override(issue, self.reason)
        for order in orders.browse({issue.order_id for issue in provisional}):
            # A block on documents (strict mode) passed by an ADV Manager is a waiver.
            waived = any(i.severity == "block" for i in provisional if i.order_id == order.id)
            order._adv_set_provisional(self.reason, self.regularisation_date, waived=waived)
        with flow(CHECKED_CONFIRMATION):
            orders.action_confirm()
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------------ business
    def _load_issues(self):
        issues = self.order_ids._adv_confirmation_issues()
        user = self.env.user
        # The lines are read-only to users: only this method writes them.
        self.sudo().line_ids = [
            fields.Command.create(
                {
                    "order_id": issue.order_id,
                    "code": issue.code,
                    "message": issue.message,
                    "severity": issue.severity,
                    "override_group": issue.override_group or False,
                    "provisional": issue.provisional,
                    "can_override": self._can_override(issue, user),
                }
            )
            for issue in issues
        ]

    @api.model
    def _can_override(self, issue, user):
        if issue.severity == "block":
            return bool(issue.override_group) and user.has_group(issue.override_group)
        # Provisional confirmation is the ADV team's decision, not the salesperson's.
        return not issue.provisional or user.has_group("adv_order_control.group_adv_user")

    def _blocked_text(self, issues):
        """Who can confirm past ``issues`` (wizard lines or issues)."""
        return self.env._(
            "You cannot confirm past these points: ask a member of %s.",
            ", ".join(sorted(set(self._group_names(issues)))),
        )

    def _group_names(self, issues):
        for issue in issues:
            xmlid = issue.override_group if issue.severity == "block" else "adv_order_control.group_adv_user"
            group = self.env.ref(xmlid, raise_if_not_found=False) if xmlid else None
            yield group.sudo().full_name if group else self.env._("the ADV team")

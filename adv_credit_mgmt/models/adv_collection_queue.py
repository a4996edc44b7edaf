from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .res_partner import CREDIT_CONTROLLER


class AdvCollectionQueue(models.Model):
    """The reminders to send today, one row per invoice: the collection team's work queue.

    Rows come from the dunning rule itself (adv.dunning.reminder._adv_due_query): what the daily job
    would send is exactly what this list shows, and an invoice leaves it once reminded or skipped.
    """

    _name = "adv.collection.queue"
    _description = "Collection Work Queue"
    _auto = False
    _order = "days_late desc, move_id"
    _rec_name = "move_id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    days_late = fields.Integer(readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)
    last_level_id = fields.Many2one("adv.dunning.level", string="Last Level Sent", readonly=True)
    level_id = fields.Many2one("adv.dunning.level", string="Next Level", readonly=True)
    channel = fields.Selection(related="level_id.channel")
    stage = fields.Selection(related="level_id.stage")

    @property
    def _table_query(self):
        reminders = self.env["adv.dunning.reminder"]
        reminders._adv_flush_dunning()
        return SQL(
            """
            SELECT m.id AS id, m.id AS move_id, m.commercial_partner_id AS partner_id,
                   m.company_id, m.invoice_user_id AS user_id, m.invoice_date_due AS date_due,
                   %(today)s - m.invoice_date_due AS days_late,
                   m.amount_residual_signed AS amount_residual,
                   m.adv_dunning_level_id AS last_level_id, due.level_id
              FROM (%(due)s) due
              JOIN account_move m ON m.id = due.move_id
            """,
            today=fields.Date.context_today(self),
            due=reminders._adv_due_query(),
        )

    # ------------------------------------------------------------ actions
    def action_send(self):
        """Send the reminder due on these invoices now (the daily job's rule and sending)."""
        self._check_collector()
        action = self.move_id.action_adv_process_reminders()
        action["params"]["next"] = {"type": "ir.actions.client", "tag": "soft_reload"}
        return action

    def action_skip(self):
        self._check_collector()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Skip the Reminder"),
            "res_model": "adv.collection.skip.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.move_id.ids},
        }

    def action_open_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------ business methods
    def _check_collector(self):
        if not self.env.user.has_group(CREDIT_CONTROLLER):
            raise AccessError(self.env._("Only the credit team sends or skips payment reminders."))

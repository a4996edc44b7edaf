from odoo import api, fields, models
from odoo.exceptions import UserError


class AdvDisputeCommittee(models.Model):
    _name = "adv.dispute.committee"
    _description = "Dispute Committee Session"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: self.env._("Dispute committee"))
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("draft", "Planned"), ("done", "Held")], default="draft", required=True, tracking=True
    )
    dispute_ids = fields.One2many("adv.dispute", "committee_id", string="Disputes")
    dispute_count = fields.Integer(compute="_compute_dispute_count")
    notes = fields.Html(string="Minutes")

    @api.depends("dispute_ids")
    def _compute_dispute_count(self):
        for session in self:
            session.dispute_count = len(session.dispute_ids)

    def action_load_disputes(self):
        """Put on the agenda the open disputes sent to committee or due by the session date."""
        for session in self:
            due = self.env["adv.dispute"].search(
                [
                    ("company_id", "=", session.company_id.id),
                    ("committee_id", "=", False),
                    ("state", "in", ("open", "investigating", "committee")),
                    "|",
                    ("state", "=", "committee"),
                    ("deadline", "<=", session.date),
                ]
            )
            due._adv_set_state("committee", committee_id=session.id)

    def action_done(self):
        for session in self:
            undecided = session.dispute_ids.filtered(lambda d: d.state == "committee" and not d.decision)
            if undecided:
                raise UserError(
                    self.env._(
                        "Record a decision for every dispute on the agenda first: %s",
                        ", ".join(undecided.mapped("name")),
                    )
                )
            session.dispute_ids.filtered(lambda d: d.state == "committee").action_resolve()
        self.write({"state": "done"})

    def action_print_agenda(self):
        return self.env.ref("adv_credit_mgmt.action_report_adv_committee_agenda").report_action(self)

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AdvDunningLevel(models.Model):
    _name = "adv.dunning.level"
    _description = "Payment Reminder Level"
    _order = "company_id, delay, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    delay = fields.Integer(
        string="Days After Due Date", required=True, help="Negative: before the due date (courtesy reminder)."
    )
    channel = fields.Selection(
        [("email", "Email"), ("letter", "Letter (PDF)"), ("phone", "Phone Call")],
        required=True,
        default="email",
    )
    stage = fields.Selection(
        [
            ("friendly", "Friendly Reminder (ADV)"),
            ("formal", "Formal Notice (Finance)"),
            ("legal", "Legal Collection"),
        ],
        required=True,
        default="friendly",
    )
    mail_template_id = fields.Many2one(
        "mail.template", string="Email Template", domain=[("model", "=", "account.move")]
    )
    group_id = fields.Many2one("res.groups", string="Responsible Group")

    _sql_constraints = [
        (
            "delay_company_uniq",
            "unique(company_id, delay)",
            "Two reminder levels cannot have the same delay.",
        ),
    ]

    @api.constrains("channel", "mail_template_id")
    def _check_mail_template(self):
        for level in self:
            if level.channel == "email" and not level.mail_template_id:
                raise ValidationError(
                    self.env._("Reminder level %s sends an email: choose its email template.", level.name)
                )

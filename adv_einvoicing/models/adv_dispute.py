from odoo import api, fields, models

from odoo.addons.adv_order_control.tools import check_owned_fields

COMPLETED = "209"
ANSWERED = {"disputed": ("207",), "all": ("207", "210")}
OPEN_STATES = ("open", "investigating", "committee")
# Set by the status reaction that opens the dispute (adv.einvoice.status._receive), as superuser.
OWNED_FIELDS = {"adv_einvoice_status_id": None}


class AdvDispute(models.Model):
    """A dispute opened by a Refusée (210) / En litige (207) status answers the buyer, once resolved, with a
    Complétée status (209) carrying the resolution, declared like every status the company issues."""

    _inherit = "adv.dispute"

    adv_einvoice_status_id = fields.Many2one(
        "adv.einvoice.status",
        string="Opened by E-Invoicing Status",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    adv_einvoice_answer_ids = fields.One2many(
        "adv.einvoice.status", "dispute_id", string="E-Invoicing Answers", readonly=True
    )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        resolving = (
            self.filtered(lambda d: d.state != "resolved") if vals.get("state") == "resolved" else None
        )
        reopening = (
            self.filtered(lambda d: d.state == "resolved") if vals.get("state") in OPEN_STATES else None
        )
        result = super().write(vals)
        if reopening:
            # The answer no longer holds: withdrawn when still to declare, flagged when declared.
            reopening.sudo().adv_einvoice_answer_ids._adv_withdraw(
                lambda env: env._("its dispute was reopened")
            )
        if resolving:
            resolving._adv_einvoice_answer()
        return result

    # ------------------------------------------------------------ business methods
    def _adv_einvoice_answer(self):
        """Prepare the Complétée status (209) of the resolved disputes opened by a status the company
        answers (setting "Answer Resolved Disputes"); once per resolution (the core's write may resolve in
        two steps). Returns the statuses prepared. Override to answer with another status."""
        vals_list = []
        for dispute in self.sudo():
            status = dispute.adv_einvoice_status_id
            company = dispute.company_id
            if (
                not status
                or not company.adv_einvoicing_enabled
                or status.code not in ANSWERED.get(company.adv_einvoice_dispute_answer, ())
                or dispute.adv_einvoice_answer_ids.filtered(lambda s: not s.sent_date)
            ):
                continue
            vals_list.append(
                {
                    "move_id": status.move_id.id,
                    "code": COMPLETED,
                    "reason_text": dispute._adv_einvoice_resolution_text(),
                    "dispute_id": dispute.id,
                    "platform_id": status.platform_id.id,
                }
            )
        return self.env["adv.einvoice.status"]._adv_prepare_outgoing(vals_list)

    def _adv_einvoice_resolution_text(self):
        """The resolution as the buyer reads it, in the company's language: decision and its note."""
        self.ensure_one()
        lang = self.company_id.partner_id.lang
        dispute = self.with_context(lang=lang)
        decision = dict(dispute._fields["decision"]._description_selection(dispute.env)).get(
            self.decision, ""
        )
        return ": ".join(part for part in (decision, self.decision_note) if part) or dispute.env._(
            "Dispute %s resolved", self.name
        )

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.adv_order_control.tools import check_owned_fields, reader_env

from ..tools import MentionFacts, missing_mentions

# Recorded by the status import only (adv.einvoice.status._receive).
OWNED_FIELDS = dict.fromkeys(("adv_einvoice_status_id", "adv_einvoice_rejected"))
REJECTED = "213"
DISPUTED = ("207", "210")
SUSPENDED = "208"
COMPLETED = "209"

OPERATION_CATEGORIES = [
    ("goods", "Goods"),
    ("services", "Services"),
    ("mixed", "Goods and Services"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    adv_einvoice_status_ids = fields.One2many(
        "adv.einvoice.status", "move_id", string="E-Invoicing Statuses", readonly=True, copy=False
    )
    adv_einvoice_status_id = fields.Many2one(
        "adv.einvoice.status.code",
        string="E-Invoicing Status",
        compute="_compute_adv_einvoice_status_id",
        store=True,
        index="btree_not_null",
        copy=False,
        group_expand="_read_group_adv_einvoice_status_id",
        help="Latest lifecycle status received from the platform, the buyer or sent by us.",
    )
    adv_einvoice_rejected = fields.Boolean(
        string="Rejected by the Platform",
        compute="_compute_adv_einvoice_status_id",
        store=True,
        index="btree_not_null",
        copy=False,
        help="The platform refused the invoice (Rejetée): legally it does not exist; issue a corrected one.",
    )

    adv_operation_category = fields.Selection(
        OPERATION_CATEGORIES,
        string="Category of Operation",
        compute="_compute_adv_operation_category",
        store=True,
        readonly=False,
        help="Mandatory mention of the e-invoicing reform: deliveries of goods, services, or both. "
        "Computed from the products of the lines (services vs goods); change it if needed.",
    )

    # ------------------------------------------------------------ compute methods
    @api.depends("adv_einvoice_status_ids.date", "adv_einvoice_status_ids.code_id")
    def _compute_adv_einvoice_status_id(self):
        for move in self:
            latest = move.adv_einvoice_status_ids.sorted(lambda s: (s.date, s.id))[-1:]
            move.adv_einvoice_status_id = latest.code_id
            move.adv_einvoice_rejected = latest.code_id.code == REJECTED

    @api.model
    def _read_group_adv_einvoice_status_id(self, codes, domain):
        return codes.search([("active", "=", True)])

    @api.depends("move_type", "invoice_line_ids.product_id.type", "invoice_line_ids.display_type")
    def _compute_adv_operation_category(self):
        for move in self:
            if move.move_type not in ("out_invoice", "out_refund"):
                move.adv_operation_category = False
                continue
            products = move.invoice_line_ids.filtered(lambda line: line.display_type == "product").product_id
            services = any(product.type == "service" for product in products)
            goods = any(product.type != "service" for product in products)
            if services and goods:
                move.adv_operation_category = "mixed"
            elif services or goods:
                move.adv_operation_category = "services" if services else "goods"
            else:
                # Lines without products: keep what the user chose.
                move.adv_operation_category = move.adv_operation_category

    @api.depends(
        "partner_id", "partner_shipping_id", "ref", "adv_operation_category", "invoice_line_ids.tax_ids"
    )
    def _compute_adv_invoicing_warning(self):
        # The draft's banner also says which mandatory mentions posting will find missing.
        result = super()._compute_adv_invoicing_warning()
        missing = self.filtered(lambda m: m.state == "draft")._adv_einvoice_missing_mentions()
        for move in self:
            lines = (move.adv_invoicing_warning or "").splitlines()
            lines += [b.message for b in missing.get(move.id, []) if b.message not in lines]
            move.adv_invoicing_warning = "\n".join(lines) or False
        return result

    @api.model
    def _read_group_fill_results(
        self, domain, groupby, annoted_aggregates, read_group_result, read_group_order=None
    ):
        """The kanban by e-invoicing status shows every status (group_expand); the rarer ones are folded
        while empty, so that the usual columns stay readable."""
        result = super()._read_group_fill_results(
            domain, groupby, annoted_aggregates, read_group_result, read_group_order=read_group_order
        )
        if groupby.split(":")[0] != "adv_einvoice_status_id":
            return result
        folded = self.env["adv.einvoice.status.code"].sudo().search([("fold_when_empty", "=", True)]).ids
        for line in result:
            code = line.get(groupby)
            code_id = code[0] if isinstance(code, tuple) else getattr(code, "id", code)
            count = line.get("__count", line.get(f"{groupby}_count", 0))
            line["__fold"] = bool(code_id in folded and not count)
        return result

    # ------------------------------------------------------------ CRUD
    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        return super().write(vals)

    def _post(self, soft=True):
        """Check the mandatory mentions of the customer invoices and credit notes posted: the company's
        "block" refuses to post, "warning" posts and says what is missing in the chatter. Callers
        without a user (online payment, crons: superuser) are never refused: they get the warning."""
        missing = self._adv_einvoice_missing_mentions()
        if not self.env.su:
            blocked = {
                move_id: blockers
                for move_id, blockers in missing.items()
                if any(b.severity == "block" for b in blockers)
            }
            if blocked:
                raise UserError(
                    "\n\n".join(
                        self.browse(move_id)._adv_einvoice_missing_text(blockers)
                        for move_id, blockers in blocked.items()
                    )
                )
        posted = super()._post(soft=soft)
        for move in posted.filtered(lambda m: m.id in missing):
            text = move._adv_einvoice_missing_text(missing[move.id])
            move.message_post(body=Markup("<br/>").join(text.splitlines()))
            if not self.env.su:
                self.env.user._bus_send(
                    "simple_notification",
                    {
                        "type": "warning",
                        "title": self.env._("Mandatory mentions missing"),
                        "message": text,
                        "sticky": True,
                    },
                )
        return posted

    # ------------------------------------------------------------ actions
    def action_adv_einvoice_correct(self):
        """Rejetée: legally the invoice was not issued. Odoo's credit-note wizard on it, with the platform's
        reason, where "Reverse and Create Invoice" cancels it and prepares the corrected invoice."""
        self.ensure_one()
        rejection = self.adv_einvoice_status_ids.filtered(lambda s: s.code == REJECTED).sorted("date")[-1:]
        action = self.action_reverse()
        action["context"] = {
            "active_model": self._name,
            "active_ids": self.ids,
            "default_reason": self.env._(
                "E-invoice rejected by the platform: %s",
                rejection.reason_text or rejection.reason_code or rejection.code_id.name,
            ),
        }
        return action

    # ------------------------------------------------------------ business methods
    def _adv_einvoice_receive_status(self, values):
        """Record one incoming status on this invoice (see ``adv.einvoice.status._receive``); the
        invoice number defaults to this invoice's, looked up in this invoice's company only (numbers repeat
        across companies). Returns the import log line."""
        self.ensure_one()
        receiver = self.env["adv.einvoice.status"].with_context(allowed_company_ids=self.company_id.ids)
        return receiver._receive([dict({"invoice_number": self.name}, **values)])

    def _adv_einvoice_react(self, status):
        """The ADV's reaction to a status just recorded, as the company configured it. Runs as superuser
        inside the status's savepoint: a failing reaction refuses the status. Override to react to more."""
        self.ensure_one()
        company = self.company_id
        if status.code == REJECTED and company.adv_einvoice_react_rejected:
            self._adv_einvoice_react_rejected(status)
        elif status.code in DISPUTED and company.adv_einvoice_react_dispute:
            self._adv_einvoice_react_dispute(status)
        elif status.code in (SUSPENDED, COMPLETED) and company.adv_einvoice_react_suspended:
            self._adv_einvoice_react_suspended(status)

    def _adv_einvoice_agent(self):
        """Who handles this invoice's e-invoicing statuses: its salesperson when in the ADV team, else the
        company's ADV responsible."""
        self.ensure_one()
        user = self.invoice_user_id
        if user and not user.share and user.has_group("adv_order_control.group_adv_user"):
            return user
        return self.company_id._adv_responsible() or user or self.env.user

    def _adv_einvoice_react_rejected(self, status):
        agent = self._adv_einvoice_agent()
        env = reader_env(self.env, agent)
        reason = status.reason_text or status.reason_code or env._("no reason given")
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=env._("E-invoice rejected by the platform: correct and re-issue"),
            note=env._(
                "The platform rejected invoice %(invoice)s (%(code)s): %(reason)s. Legally it was not "
                "issued: correct it and issue it again.",
                invoice=self.name,
                code=status.reason_code or status.code,
                reason=reason,
            ),
            user_id=agent.id,
        )

    def _adv_einvoice_react_suspended(self, status):
        """Suspendue: the buyer waits for something (a document, a PO number) before going on.
        Complétée: the invoice was completed; the agent makes sure the buyer has what they asked for."""
        agent = self._adv_einvoice_agent()
        env = reader_env(self.env, agent)
        reason = status.reason_text or status.reason_code or env._("no reason given")
        if status.code == COMPLETED:
            summary = env._("E-invoice completed: check the buyer has what they asked for")
            note = env._(
                "Invoice %(invoice)s was declared completed: %(reason)s. Make sure the buyer received what "
                "they asked for and follow the invoice until it is approved.",
                invoice=self.name,
                reason=reason,
            )
        else:
            summary = env._("E-invoice suspended by the buyer: send what they asked for")
            note = env._(
                "The buyer suspended invoice %(invoice)s: %(reason)s. Send what is missing, then declare the "
                "invoice completed.",
                invoice=self.name,
                reason=reason,
            )
        self.activity_schedule("mail.mail_activity_data_todo", summary=summary, note=note, user_id=agent.id)

    def _adv_einvoice_react_dispute(self, status):
        """Refusée / En litige: a dispute on the invoice with the buyer's reason, unless one is open."""
        label = status.code_id.with_context(lang=self.company_id.partner_id.lang).name
        reason = status.reason_text or status.reason_code or ""
        open_dispute = self.adv_dispute_ids.filtered(lambda d: d.state not in ("resolved", "cancel"))[:1]
        body = Markup("<p>%s</p>") % (
            f"{status.code} {label}: {reason}" if reason else f"{status.code} {label}"
        )
        if open_dispute:
            open_dispute.message_post(body=body)
            return
        residual = self.amount_residual_signed
        if self.move_type != "out_invoice" or self.currency_id.compare_amounts(residual, 0) <= 0:
            # A credit note or a paid invoice cannot carry a dispute (adv_credit_mgmt): say it on the invoice.
            self.message_post(body=body)
            return
        amount = residual
        if status.amount > 0:
            # The message's amount is in the invoice's currency; a dispute counts in the company's.
            company_amount = self.currency_id._convert(
                status.amount, self.company_id.currency_id, self.company_id, self.invoice_date or status.date
            )
            amount = min(company_amount, residual)
        self.env["adv.dispute"].create(
            {
                "company_id": self.company_id.id,
                "partner_id": self.commercial_partner_id.id,
                "invoice_ids": [fields.Command.link(self.id)],
                "amount_disputed": amount,
                "dispute_type": "commercial",
                "date_open": fields.Date.context_today(self, status.date),
                "user_id": self._adv_einvoice_agent().id,
                "description": Markup("<p>%s</p>") % escape(f"{status.code} {label}: {reason}"),
                "adv_einvoice_status_id": status.id,
            }
        )

    def _adv_einvoice_missing_mentions(self):
        """{move id: [InvoicingBlocker]}: the mandatory mentions missing from these customer invoices and
        credit notes, where their company checks them."""
        result = {}
        for move in self:
            if move.move_type not in ("out_invoice", "out_refund") or not move.partner_id:
                continue
            severity = move.company_id._adv_einvoice_mention_mode()
            if severity == "off":
                continue
            blockers = missing_mentions(self.env, move._adv_einvoice_mention_facts(), severity)
            if blockers:
                result[move.id] = blockers
        return result

    def _adv_einvoice_mention_facts(self):
        self.ensure_one()
        customer = self.commercial_partner_id.with_company(self.company_id)
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        services = lines.filtered(lambda line: line.product_id.type == "service")
        cash_basis = services.tax_ids.filtered(lambda tax: tax.tax_exigibility == "on_payment")
        return MentionFacts(
            company=self.company_id,
            customer=customer,
            shipping=self.partner_shipping_id - self.partner_id,
            ref=self.ref or "",
            # A credit note refers to its invoice, not to a purchase order.
            po_required=self.move_type == "out_invoice" and customer._adv_einvoice_po_required(),
            category=self.adv_operation_category or "",
            cash_basis_taxes=tuple(sorted(set(cash_basis.mapped("name")))),
        )

    def _adv_einvoice_missing_text(self, blockers):
        """One message listing each missing mention of this invoice, and how to fix it."""
        self.ensure_one()
        return self.env._(
            "%(invoice)s misses mentions the e-invoicing reform makes mandatory:\n%(mentions)s",
            invoice=self.display_name,
            mentions="\n".join(f"- {blocker.label}: {blocker.message}" for blocker in blockers),
        )

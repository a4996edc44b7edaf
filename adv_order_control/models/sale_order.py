from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from ..tools import (
    CHECKED_CONFIRMATION,
    CUSTOMER_CONFIRMATION,
    ConfirmationIssue,
    InvoicingBlocker,
    check_owned_fields,
    flow,
    in_flow,
    reader_env,
)

_lt = LazyTranslate(__name__)
# Texts written for the ADV team or the salesperson: lazy, so that each is translated in its reader's
# language when written (``reader_env(env, user)._(TEXT)``), not in the language of who confirms.
# pylint: disable=prefer-env-translation
UNATTENDED_PROVISIONAL_REASON = _lt("Confirmed online or automatically while documents were missing.")
UNATTENDED_PROVISIONAL_SUMMARY = _lt("Order confirmed with missing documents")
CUSTOMER_ISSUES_SUMMARY = _lt("Order confirmed online with issues to review")
# pylint: enable=prefer-env-translation

ADV_MANAGER = "adv_order_control.group_adv_manager"
ADV_USER = "adv_order_control.group_adv_user"
# Who may write each decision field directly; None: only the flow that decides it (as superuser).
OWNED_FIELDS = {
    "adv_contract_status": None,
    "adv_provisional_reason": None,
    "adv_escalation_level": None,
    "adv_regularisation_date": ADV_USER,
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    adv_checklist_ids = fields.Many2many(
        "adv.document",
        "adv_document_sale_order_rel",
        "order_id",
        "document_id",
        string="Contract Documents",
        copy=False,
        help="Documents expected for this order: its own, and its customer's.",
    )
    # Computed on read, not stored: a document past its expiry date counts as missing from the next day,
    # before the nightly job marks it expired.
    adv_doc_total = fields.Integer(compute="_compute_adv_documents", string="Expected Documents")
    adv_doc_completeness = fields.Float(compute="_compute_adv_documents", string="Documents (%)")
    adv_missing_confirm_count = fields.Integer(
        compute="_compute_adv_documents", string="Missing before Confirmation"
    )
    adv_missing_invoice_count = fields.Integer(
        compute="_compute_adv_documents", string="Missing before Invoicing"
    )
    adv_doc_status = fields.Selection(
        [("none", "Nothing Expected"), ("complete", "Complete"), ("missing", "Missing Documents")],
        compute="_compute_adv_documents",
        search="_search_adv_doc_status",
        string="Document Status",
    )
    adv_next_expiry = fields.Date(
        compute="_compute_adv_next_expiry", store=True, string="Next Document Expiry"
    )
    adv_contract_status = fields.Selection(
        [("complete", "Complete"), ("provisional", "Provisional"), ("waived", "Waived")],
        string="Contractual Status",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Set at confirmation. Provisional: confirmed while documents were missing; it turns complete "
        "by itself when the last one arrives. Waived: an ADV Manager confirmed without them.",
    )
    adv_provisional_reason = fields.Text(string="Provisional Reason", readonly=True, copy=False)
    adv_regularisation_date = fields.Date(string="Regularisation Deadline", copy=False, tracking=True)
    adv_escalation_level = fields.Integer(
        string="Escalation Level",
        readonly=True,
        copy=False,
        help="0: none; 1: sales team leader alerted; 2: ADV Manager alerted.",
    )
    adv_commissionable = fields.Boolean(
        string="Commissionable",
        compute="_compute_adv_commissionable",
        store=True,
        index=True,
        help="Commission is paid only on confirmed orders whose contract documents are complete or waived.",
    )

    # ------------------------------------------------------------------ compute
    @api.depends(
        "adv_checklist_ids.state",
        "adv_checklist_ids.requirement",
        "adv_checklist_ids.expiry_date",
        "adv_checklist_ids.waiver_end_date",
    )
    def _compute_adv_documents(self):
        for order in self:
            docs = order.adv_checklist_ids
            required = docs.filtered(lambda d: d.requirement != "info")
            ok = required.filtered("is_ok")
            missing = required - ok
            order.adv_doc_total = len(docs)
            order.adv_doc_completeness = 100.0 * len(ok) / len(required) if required else 100.0
            order.adv_missing_confirm_count = len(missing.filtered(lambda d: d.requirement == "confirmation"))
            order.adv_missing_invoice_count = len(missing.filtered(lambda d: d.requirement == "invoicing"))
            order.adv_doc_status = "none" if not required else ("missing" if missing else "complete")

    @api.depends("adv_checklist_ids.state", "adv_checklist_ids.expiry_date")
    def _compute_adv_next_expiry(self):
        # Expiry dates still to come or just passed (a stored date the "expiring soon" filter searches).
        for order in self:
            expiries = order.adv_checklist_ids.filtered(
                lambda d: d.state in ("received", "validated") and d.expiry_date
            ).mapped("expiry_date")
            order.adv_next_expiry = min(expiries) if expiries else False

    def _search_adv_doc_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Search the document status with =, !=, in or not in."))
        values = {value} if operator in ("=", "!=") else set(value)
        required = [("requirement", "!=", "info")]
        by_status = {
            "none": [("adv_checklist_ids", "not any", required)],
            "missing": [("adv_checklist_ids", "any", [*required, ("is_ok", "=", False)])],
            "complete": [
                ("adv_checklist_ids", "any", required),
                ("adv_checklist_ids", "not any", [*required, ("is_ok", "=", False)]),
            ],
        }
        domain = expression.OR([by_status[v] for v in values if v in by_status] or [expression.FALSE_DOMAIN])
        return domain if operator in ("=", "in") else ["!", *expression.normalize_domain(domain)]

    @api.depends("state", "adv_contract_status")
    def _compute_adv_commissionable(self):
        for order in self:
            order.adv_commissionable = order.state == "sale" and order.adv_contract_status in (
                "complete",
                "waived",
            )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_owned_fields(self, vals, OWNED_FIELDS, creating=True)
        orders = super().create(vals_list)
        orders._adv_sync_checklist()
        return orders

    def write(self, vals):
        check_owned_fields(self, vals, OWNED_FIELDS)
        if "adv_checklist_ids" in vals and not self.env.su:
            self._adv_check_checklist_commands(vals["adv_checklist_ids"])
        res = super().write(vals)
        if {"partner_id", "company_id", "order_line"} & set(vals):
            self.filtered(lambda o: o.state in ("draft", "sent"))._adv_sync_checklist()
        return res

    def _adv_check_checklist_commands(self, commands):
        """The checklist follows the document rules (synchronised as superuser): users edit its documents
        (upload a file) but neither add nor remove one, which would lift the document checks."""
        if any(
            not isinstance(cmd, list | tuple) or cmd[0] != fields.Command.UPDATE for cmd in commands or []
        ):
            raise AccessError(
                self.env._(
                    "The contract documents of an order follow the document rules: attach files to them, "
                    "or use Refresh Checklist; they cannot be added or removed by hand."
                )
            )

    # ------------------------------------------------------------------ actions
    def action_confirm(self):
        if in_flow(CHECKED_CONFIRMATION):
            self._adv_set_contract_status()
            return super().action_confirm()
        self._adv_sync_checklist()
        issues = self._adv_confirmation_issues()
        if not issues:
            self._adv_set_contract_status()
            return super().action_confirm()
        if self.env.context.get("adv_interactive"):
            return self._adv_confirm_wizard_action()
        self._adv_confirm_unattended(issues)
        self._adv_set_contract_status()
        with flow(CHECKED_CONFIRMATION):
            return super().action_confirm()

    def action_adv_refresh_checklist(self):
        self._adv_sync_checklist(force=True)

    def action_adv_remind_salespeople(self):
        """Send each salesperson one digest of the missing documents of their orders."""
        orders = self.filtered(lambda o: o.adv_doc_status == "missing")
        if not orders:
            raise UserError(self.env._("None of the selected orders misses a document."))
        template = self.env.ref("adv_order_control.mail_template_missing_documents_digest")
        for user, user_orders in orders.grouped("user_id").items():
            if not user.email:
                continue
            template.with_context(adv_orders=user_orders).send_mail(
                user.id, email_layout_xmlid="mail.mail_notification_light"
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Digest sent to %s salespeople.", len(orders.user_id.filtered("email"))
                ),
            },
        }

    # ------------------------------------------------------------------ confirmation issues
    def _adv_sync_checklist(self, force=False):
        # As superuser: a salesperson's checklist may hold customer documents another one is responsible for.
        if force or self.env["adv.document.type"].search_count([], limit=1) or self.sudo().adv_checklist_ids:
            self.env["adv.document"].sudo()._sync_order_checklists(self.sudo())

    def _adv_confirmation_issues(self):
        """All that an ADV team checks at confirmation, for every order of self.

        Hook: returns a list of ``tools.ConfirmationIssue``; a module adds its own checks by extending it
        (``super()`` + its issues). The confirmation paths (wizard, unattended confirmation) decide what
        each issue allows from its severity, override group and provisional flag.
        """
        issues = self._adv_document_issues()
        # Configuration, read for any user who confirms (salespeople included).
        checks = self.env["adv.conformity.check"].sudo().search([("company_id", "in", self.company_id.ids)])
        if checks:
            issues += self._adv_conformity_issues(checks)
        return issues

    def _adv_document_issues(self):
        issues = []
        for order in self.filtered("adv_missing_confirm_count"):
            missing = order.adv_checklist_ids.filtered(
                lambda d: d.requirement == "confirmation" and not d.is_ok
            )
            strict = order.partner_id.commercial_partner_id._adv_is_strict(order.company_id)
            issues.append(
                ConfirmationIssue(
                    order_id=order.id,
                    code="missing_documents",
                    message=self.env._(
                        "%(order)s misses documents required before confirmation: %(docs)s. Attach them on "
                        "the order's Contract Documents tab, or confirm provisionally.",
                        order=order.name,
                        docs=", ".join(missing.type_id.mapped("name")),
                    ),
                    severity="block" if strict else "warning",
                    override_group=ADV_MANAGER,
                    provisional=True,
                )
            )
        return issues

    def _adv_conformity_issues(self, checks):
        issues = []
        for check in checks:
            method = getattr(self, f"_adv_check_{check.code}")
            for order in self.filtered(lambda o, c=check: o.company_id == c.company_id):
                message = method(order, check.threshold)
                if message:
                    issues.append(
                        ConfirmationIssue(
                            order_id=order.id,
                            code=check.code,
                            message=message,
                            severity=check.severity,
                            override_group=ADV_MANAGER,
                        )
                    )
        return issues

    @api.model
    def _adv_check_price_below_pricelist(self, order, threshold):
        low = []
        for line in order.order_line.filtered(lambda ln: ln.product_id and not ln.display_type):
            reference = line._get_display_price()
            floor = reference * (1 - threshold / 100.0)
            if float_compare(line.price_unit, floor, precision_rounding=order.currency_id.rounding) < 0:
                low.append(line.product_id.display_name)
        if low:
            return self.env._(
                "%(order)s: price below the pricelist by more than %(pct)s%% on %(products)s.",
                order=order.name,
                pct=threshold,
                products=", ".join(low),
            )
        return False

    @api.model
    def _adv_check_discount_above(self, order, threshold):
        if any(line.discount > threshold for line in order.order_line):
            return self.env._(
                "%(order)s: a discount exceeds %(pct)s%%. Reduce it or have an ADV Manager approve it.",
                order=order.name,
                pct=threshold,
            )
        return False

    @api.model
    def _adv_check_payment_term_differs(self, order, threshold):
        expected = order.partner_id.commercial_partner_id.with_company(
            order.company_id
        ).property_payment_term_id
        if expected and order.payment_term_id != expected:
            return self.env._(
                "%(order)s: payment terms %(terms)s differ from the customer's (%(expected)s).",
                order=order.name,
                terms=order.payment_term_id.name or self.env._("none"),
                expected=expected.name,
            )
        return False

    @api.model
    def _adv_check_customer_ref_missing(self, order, threshold):
        partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
        if partner.adv_requires_customer_ref and not order.client_order_ref:
            return self.env._(
                "%s: this customer requires its purchase order number: fill in the Customer Reference.",
                order.name,
            )
        return False

    @api.model
    def _adv_check_invoice_address_missing(self, order, threshold):
        address = order.partner_invoice_id
        gaps = []
        if not (address.street and address.city and address.zip):
            gaps.append(self.env._("invoice address (street, zip, city)"))
        commercial = order.partner_id.commercial_partner_id
        if commercial.is_company and not commercial.vat:
            gaps.append(self.env._("VAT number"))
        if gaps:
            return self.env._(
                "%(order)s: the customer's %(gaps)s is missing.", order=order.name, gaps=", ".join(gaps)
            )
        return False

    @api.model
    def _adv_check_amount_above(self, order, threshold):
        company = order.company_id
        amount = order.currency_id._convert(
            order.amount_untaxed, company.currency_id, company, fields.Date.today()
        )
        if threshold and amount > threshold:
            return self.env._(
                "%(order)s: %(amount)s exceeds the %(limit)s that needs an ADV Manager's approval.",
                order=order.name,
                amount=company.currency_id.format(amount),
                limit=company.currency_id.format(threshold),
            )
        return False

    # ------------------------------------------------------------------ confirmation paths
    def _adv_confirm_wizard_action(self):
        wizard = self.env["adv.confirm.wizard"].create({"order_ids": [fields.Command.set(self.ids)]})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm Orders"),
            "res_model": "adv.confirm.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _adv_confirm_unattended(self, issues):
        """Portal, payment, RPC and automated confirmations: never a wizard.

        The customer's own confirmation goes provisional on missing documents; any other caller is refused
        where the customer's documents are strictly required (only an ADV Manager waives them, in the wizard).
        """
        customer = self._adv_is_customer_confirmation()
        strict = [i for i in issues if i.provisional and i.severity == "block"]
        if strict and not customer:
            raise UserError("\n".join(i.message for i in strict))
        provisional_ids = {i.order_id for i in issues if i.provisional}
        if provisional_ids and not customer and not self._adv_may_confirm_provisionally():
            # As in the wizard: confirming while documents are missing is the ADV team's decision.
            raise UserError(
                self.env._(
                    "Only the ADV team confirms an order while documents are missing:\n%s",
                    "\n".join(i.message for i in issues if i.provisional),
                )
            )
        if provisional_ids:
            orders = self.browse(provisional_ids)
            orders._adv_set_provisional(UNATTENDED_PROVISIONAL_REASON)
            orders._adv_notify_adv_team([i for i in issues if i.provisional], UNATTENDED_PROVISIONAL_SUMMARY)
        leftover = self._adv_handle_unattended_issues([i for i in issues if not i.provisional])
        if leftover:
            raise UserError("\n".join(i.message for i in leftover))

    def _adv_handle_unattended_issues(self, issues):
        """Return the blocking issues an unattended confirmation cannot get past.

        The customer's own confirmation (portal, online payment) goes through and the ADV team gets
        an activity; any other caller (RPC, automated code) is refused on blocks.
        """
        if self._adv_is_customer_confirmation():
            if issues:
                self._adv_notify_adv_team(issues, CUSTOMER_ISSUES_SUMMARY)
            return []
        return [i for i in issues if i.severity == "block"]

    def _adv_may_confirm_provisionally(self):
        """ADV users, and automated code running as superuser (crons, data), confirm provisionally."""
        return self.env.su or self.env.user.has_group(ADV_USER)

    def _adv_is_customer_confirmation(self):
        """Whether the customer confirms their own order (portal, online payment), never the context."""
        return in_flow(CUSTOMER_CONFIRMATION) or self.env.user.share

    def _validate_order(self):
        # The portal's acceptance (and sale's own payment flow) is the customer's confirmation.
        with flow(CUSTOMER_CONFIRMATION):
            return super()._validate_order()

    def _adv_notify_adv_team(self, issues, summary):
        """Give the ADV team an activity listing ``issues``; ``summary`` is a lazy text (``_lt``).

        The activity is written in its assignee's language: the issues are found again in that language
        (the customer who confirmed may read another one).
        """
        for order in self.browse({i.order_id for i in issues}):
            user = order.company_id._adv_responsible() or order.user_id or self.env.user
            env = reader_env(self.env, user)
            messages = order._adv_issue_messages(issues, user)
            order.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._(summary),
                note=Markup("<br/>").join(escape(m) for m in messages),
                user_id=user.id,
            )

    def _adv_issue_messages(self, issues, reader):
        """The messages of this order's ``issues`` in the language of ``reader`` (``res.users``).

        Issues are worded in the language of who confirms (a portal customer, a cron): for another
        reader they are found again in the reader's language, matched by code.
        """
        self.ensure_one()
        messages = [i.message for i in issues if i.order_id == self.id]
        env = reader_env(self.env, reader)
        if env is self.env:
            return messages
        codes = {i.code for i in issues if i.order_id == self.id}
        translated = [i.message for i in self.with_env(env)._adv_confirmation_issues() if i.code in codes]
        return translated or messages

    def _adv_log_override(self, issue, reason):
        """Trace in the chatter an issue confirmed past (extended by adv_credit_mgmt's override log)."""
        order = self.browse(issue.order_id)
        order.message_post(
            body=Markup("%s<br/>%s<br/>%s")
            % (
                self.env._("Confirmed past a check by %s.", self.env.user.name),
                issue.message,
                self.env._("Reason: %s", reason),
            )
        )

    def _adv_set_contract_status(self):
        self.filtered(lambda o: not o.adv_contract_status).sudo().adv_contract_status = "complete"

    def _adv_set_provisional(self, reason, deadline=False, waived=False):
        """Mark these orders provisional (or waived) and give each salesperson the follow-up.

        ``reason``: the text a user gave, or a lazy text (``_lt``) stored in the salesperson's language.
        """
        for order in self:
            env = reader_env(self.env, order.user_id)
            order.sudo().write(
                {
                    "adv_contract_status": "waived" if waived else "provisional",
                    "adv_provisional_reason": reason if isinstance(reason, str) else env._(reason),
                    "adv_regularisation_date": deadline
                    or fields.Date.context_today(self)
                    + timedelta(days=order.company_id.adv_regularisation_days),
                    "adv_escalation_level": 0,
                }
            )
            if waived:
                continue
            missing = order.adv_checklist_ids.filtered(
                lambda d: d.requirement == "confirmation" and not d.is_ok
            )
            order.sudo().activity_schedule(
                "adv_order_control.mail_activity_adv_documents",
                date_deadline=order.adv_regularisation_date,
                summary=env._("Collect the missing contract documents"),
                note=env._(
                    "Provisional order: %(docs)s to obtain by %(date)s.",
                    docs=", ".join(missing.type_id.mapped("name")),
                    date=order.adv_regularisation_date,
                ),
                user_id=order.user_id.id or self.env.uid,
            )

    def _adv_regularise(self):
        """Provisional orders whose last required document arrived turn complete, said in chatter."""
        done = self.filtered(
            lambda o: o.adv_contract_status == "provisional" and not o.adv_missing_confirm_count
        )
        for order in done:
            order.sudo().adv_contract_status = "complete"
            order.message_post(
                body=reader_env(self.env, order.user_id)._(
                    "All the documents required before confirmation are in: complete."
                )
            )
        done.activity_unlink(["adv_order_control.mail_activity_adv_documents"])

    @api.model
    def _cron_adv_escalate(self):
        """Provisional orders past their deadline go to the team leader, then the ADV Manager: once each."""
        today = fields.Date.context_today(self)
        late = self.search(
            [
                ("adv_contract_status", "=", "provisional"),
                ("state", "=", "sale"),
                ("adv_regularisation_date", "<", today),
                ("adv_escalation_level", "<", 2),
            ]
        )
        for order in late:
            manager_due = order.adv_regularisation_date + timedelta(days=order.company_id.adv_escalation_days)
            level = 2 if today > manager_due else 1
            if level <= order.adv_escalation_level:
                continue
            user = order.team_id.user_id if level == 1 else order.company_id._adv_responsible()
            user = user or order.company_id._adv_responsible() or order.user_id
            env = reader_env(self.env, user)
            order.sudo().activity_schedule(
                "mail.mail_activity_data_warning",
                summary=env._("Provisional order past its deadline"),
                note=env._(
                    "%(order)s still misses documents (deadline %(date)s).",
                    order=order.name,
                    date=order.adv_regularisation_date,
                ),
                user_id=user.id,
            )
            order.sudo().adv_escalation_level = level

    # ------------------------------------------------------------------ invoicing gate
    def _adv_invoicing_blockers(self):
        """What stands in the way of invoicing these orders: ``{order id: [tools.InvoicingBlocker]}``.

        Hook: the one invoicing gate. The invoicing wizard, invoice posting and the pre-invoice board all
        read it; a module adds its blockers by extending it. ``block`` refuses, ``warning`` is shown.
        """
        result = {order.id: [] for order in self}
        for order in self:
            severity = order.company_id.adv_invoicing_gate
            if order.adv_missing_invoice_count or order.adv_missing_confirm_count:
                missing = order.adv_checklist_ids.filtered(lambda d: d.requirement != "info" and not d.is_ok)
                result[order.id].append(
                    InvoicingBlocker(
                        code="missing_documents",
                        label=self.env._("Missing documents"),
                        message=self.env._(
                            "%(order)s misses contract documents: %(docs)s.",
                            order=order.name,
                            docs=", ".join(missing.type_id.mapped("name")),
                        ),
                        severity=severity,
                    )
                )
            if order.adv_contract_status == "provisional":
                result[order.id].append(
                    InvoicingBlocker(
                        code="provisional_order",
                        label=self.env._("Provisional order"),
                        message=self.env._(
                            "%s is a provisional order: its contract documents are not all in.", order.name
                        ),
                        severity=severity,
                    )
                )
        return result

    def _adv_invoicing_check(self):
        """Raise on blocking reasons; return the warnings as text."""
        blockers = [b for lst in self._adv_invoicing_blockers().values() for b in lst]
        blocks = [b.message for b in blockers if b.severity == "block"]
        if blocks:
            raise UserError(self.env._("These orders cannot be invoiced yet:\n%s", "\n".join(blocks)))
        return "\n".join(b.message for b in blockers)

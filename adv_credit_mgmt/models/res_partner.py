from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, formatLang

from odoo.addons.adv_order_control.tools import check_owned_fields, company_today_sql

from ..tools.receivables import payment_delays_sql

# The figures _compute_adv_credit sets, in its order, from one query on the exposure table.
CREDIT_FIGURES = (
    "adv_exposure_not_due",
    "adv_exposure_overdue",
    "adv_exposure_draft",
    "adv_exposure_to_invoice",
    "adv_exposure_disputed",
    "adv_exposure_total",
    "adv_credit_limit_effective",
    "adv_credit_remaining",
    "adv_credit_over_limit",
    "adv_credit_oldest_due_date",
    "adv_credit_no_limit",
    "adv_credit_limit_display",
)

CREDIT_STATUS = [
    ("open", "Open"),
    ("review", "Under Review"),
    ("blocked", "Blocked"),
    ("legal", "Legal Collection"),
]
# Account statuses that stop orders, invoices and the start of work when the blocks are switched on.
BLOCKED_STATUSES = ("blocked", "legal")
SQL_OPERATORS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "<>"}

CREDIT_MANAGER = "adv_credit_mgmt.group_credit_manager"
CREDIT_CONTROLLER = "adv_credit_mgmt.group_credit_controller"
# Who reads a customer's credit data: the credit team and ADV (Credit Controller implies ADV User) and
# accounting. Salespeople, other employees and portal users do not (``groups=`` on the fields).
CREDIT_DATA = "adv_order_control.group_adv_user,account.group_account_invoice"
# Who sets each field of the credit profile (create and write).
PROFILE_OWNERS = {
    # Odoo's own field: guarded where the company switched credit control on (_adv_credit_unguarded_fields).
    "credit_limit": CREDIT_MANAGER,
    # The same limit set on the Credit tab, next to the exposure: always the Credit Manager's.
    "adv_credit_limit": CREDIT_MANAGER,
    "adv_credit_temp_increase": CREDIT_MANAGER,
    "adv_credit_temp_until": CREDIT_MANAGER,
    "adv_credit_insurer_id": CREDIT_MANAGER,
    "adv_credit_policy": CREDIT_MANAGER,
    "adv_credit_insured_limit": CREDIT_MANAGER,
    "adv_credit_cover_pct": CREDIT_MANAGER,
    "adv_credit_insured_until": CREDIT_MANAGER,
    "adv_credit_risk_class": CREDIT_MANAGER,
    "adv_credit_status": CREDIT_MANAGER,
    "adv_credit_block_reason": CREDIT_MANAGER,
    # The review is recorded by its button (Credit Manager), or its date set by a Credit Manager.
    "adv_credit_reviewed_on": CREDIT_MANAGER,
    "adv_credit_review_date": CREDIT_CONTROLLER,
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------ credit profile (per company)
    adv_credit_temp_increase = fields.Float(
        string="Temporary Increase", company_dependent=True, tracking=True, copy=False, groups=CREDIT_DATA
    )
    adv_credit_temp_until = fields.Date(
        string="Temporary Increase Until",
        company_dependent=True,
        tracking=True,
        copy=False,
        groups=CREDIT_DATA,
    )
    adv_credit_insurer_id = fields.Many2one(
        "res.partner",
        string="Credit Insurer",
        company_dependent=True,
        tracking=True,
        copy=False,
        groups=CREDIT_DATA,
    )
    adv_credit_policy = fields.Char(
        string="Insurance Policy", company_dependent=True, copy=False, groups=CREDIT_DATA
    )
    adv_credit_insured_limit = fields.Float(
        string="Insured Limit", company_dependent=True, tracking=True, copy=False, groups=CREDIT_DATA
    )
    adv_credit_cover_pct = fields.Float(
        string="Cover (%)", company_dependent=True, copy=False, groups=CREDIT_DATA
    )
    adv_credit_insured_until = fields.Date(
        string="Cover Valid Until", company_dependent=True, copy=False, groups=CREDIT_DATA
    )
    adv_credit_risk_class = fields.Selection(
        [("a", "A - Low"), ("b", "B - Moderate"), ("c", "C - High"), ("d", "D - Critical")],
        string="Risk Class",
        company_dependent=True,
        tracking=True,
        copy=False,
        groups=CREDIT_DATA,
    )
    adv_credit_review_date = fields.Date(
        string="Next Credit Review", company_dependent=True, copy=False, groups=CREDIT_DATA
    )
    adv_credit_reviewed_on = fields.Date(
        string="Last Credit Review", company_dependent=True, copy=False, groups=CREDIT_DATA
    )
    adv_credit_status = fields.Selection(
        CREDIT_STATUS,
        string="Account Status",
        company_dependent=True,
        tracking=True,
        copy=False,
        help="Empty means open.",
        groups="base.group_user",
    )
    adv_credit_block_reason = fields.Char(
        string="Block Reason", company_dependent=True, tracking=True, groups=CREDIT_DATA
    )

    adv_credit_limit = fields.Monetary(
        string="Granted Limit",
        compute="_compute_adv_credit_limit",
        inverse="_inverse_adv_credit_limit",
        currency_field="adv_company_currency_id",
        help="The customer's credit limit in this company (Odoo's credit limit), set by a Credit Manager. "
        "0 means no limit.",
        groups=CREDIT_DATA,
    )
    adv_is_own_company = fields.Boolean(
        string="One of Our Companies",
        compute="_compute_adv_is_own_company",
        search="_search_adv_is_own_company",
        help="The partner of one of the companies of this database: never listed as a customer.",
    )

    # ------------------------------------------------------------ exposure (read from adv.credit.exposure)
    adv_exposure_not_due = fields.Monetary(
        string="Not Yet Due",
        compute="_compute_adv_credit",
        currency_field="adv_company_currency_id",
        groups=CREDIT_DATA,
    )
    adv_exposure_overdue = fields.Monetary(
        string="Overdue",
        compute="_compute_adv_credit",
        currency_field="adv_company_currency_id",
        groups=CREDIT_DATA,
    )
    adv_exposure_draft = fields.Monetary(
        string="Draft Invoices",
        compute="_compute_adv_credit",
        currency_field="adv_company_currency_id",
        groups=CREDIT_DATA,
    )
    adv_exposure_to_invoice = fields.Monetary(
        string="Orders to Invoice",
        compute="_compute_adv_credit",
        currency_field="adv_company_currency_id",
        groups=CREDIT_DATA,
    )
    adv_exposure_disputed = fields.Monetary(
        string="Disputed",
        compute="_compute_adv_credit",
        currency_field="adv_company_currency_id",
        groups=CREDIT_DATA,
    )
    adv_exposure_total = fields.Monetary(
        string="Exposure",
        compute="_compute_adv_credit",
        search="_search_adv_exposure_total",
        currency_field="adv_company_currency_id",
        groups=CREDIT_DATA,
    )
    adv_credit_limit_effective = fields.Monetary(
        string="Effective Limit",
        compute="_compute_adv_credit",
        currency_field="adv_company_currency_id",
        help="Credit limit plus a running temporary increase, capped by the insured limit when configured.",
        groups=CREDIT_DATA,
    )
    adv_credit_remaining = fields.Monetary(
        string="Remaining Credit",
        compute="_compute_adv_credit",
        search="_search_adv_credit_remaining",
        currency_field="adv_company_currency_id",
        groups=CREDIT_DATA,
    )
    adv_credit_no_limit = fields.Boolean(
        string="No Credit Limit", compute="_compute_adv_credit", groups=CREDIT_DATA
    )
    adv_credit_limit_display = fields.Char(string="Limit", compute="_compute_adv_credit", groups=CREDIT_DATA)
    adv_credit_over_limit = fields.Boolean(
        string="Over Limit",
        compute="_compute_adv_credit",
        search="_search_adv_credit_over_limit",
        groups="base.group_user",
    )
    adv_credit_oldest_due_date = fields.Date(
        string="Oldest Overdue Due Date", compute="_compute_adv_credit", groups=CREDIT_DATA
    )
    adv_company_currency_id = fields.Many2one("res.currency", compute="_compute_adv_company_currency_id")
    adv_avg_days_late = fields.Float(
        string="Average Days Late (12 months)",
        compute="_compute_adv_avg_days_late",
        help="Average days after the due date of the debts paid in the last 12 months and of the debts still "
        "overdue (days late so far). The cash forecast expects this customer's invoices that much later.",
        digits=(16, 1),
        groups=CREDIT_DATA,
    )
    adv_is_credit_manager = fields.Boolean(compute="_compute_adv_is_credit_manager")
    adv_dispute_ids = fields.One2many("adv.dispute", "partner_id", string="Disputes")
    adv_open_dispute_count = fields.Integer(string="Open Disputes", compute="_compute_adv_open_dispute_count")

    # ------------------------------------------------------------ compute methods
    @api.depends_context("uid")
    def _compute_adv_is_credit_manager(self):
        self.adv_is_credit_manager = self.env.user.has_group(CREDIT_MANAGER)

    @api.depends_context("company")
    def _compute_adv_company_currency_id(self):
        self.adv_company_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_adv_credit(self):
        rows = {}
        if self.ids:
            company = self.env.company
            self.env["adv.credit.exposure"]._flush_sources()
            self.flush_model(self._adv_credit_limit_fields())
            query = SQL(
                """
                SELECT p.id, %(limit)s, e.amount_not_due, e.amount_overdue, e.amount_draft,
                       e.amount_to_invoice, e.amount_disputed, e.amount_total, e.amount_decision,
                       e.oldest_due_date
                  FROM res_partner p
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                  LEFT JOIN adv_credit_exposure e ON e.partner_id = cp.id AND e.company_id = %(company)s
                 WHERE p.id IN %(ids)s
                """,
                limit=self._adv_credit_limit_sql(company, "cp"),
                company=company.id,
                ids=tuple(self.ids),
            )
            rows = {row[0]: row[1:] for row in self.env.execute_query(query)}
        columns = [[] for _fname in CREDIT_FIGURES]
        currency = self.env.company.currency_id
        labels = {}  # limits repeat (round amounts): each formatted once
        for partner in self:
            limit, not_due, overdue, draft, to_inv, disputed, total, decision, oldest = rows.get(
                partner.id, (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, None)
            )
            limit, decision = float(limit or 0.0), float(decision or 0.0)
            if limit not in labels:
                labels[limit] = self._adv_credit_limit_label(limit)
            figures = (
                float(not_due or 0.0),
                float(overdue or 0.0),
                float(draft or 0.0),
                float(to_inv or 0.0),
                float(disputed or 0.0),
                float(total or 0.0),
                limit,
                currency.round(limit - decision) if limit > 0 else 0.0,
                limit > 0 and decision > limit,
                oldest,
                limit <= 0,
                labels[limit],
            )
            for column, value in zip(columns, figures, strict=True):
                column.append(value)
        # One cache write per figure (values in cache format: amounts rounded as the fields would round
        # them). A page of customers gets 12 figures each; set one by one through the fields, they were
        # most of the list's time.
        for fname, column in zip(CREDIT_FIGURES, columns, strict=True):
            self.env.cache.update(self, self._fields[fname], column)

    @api.depends("credit_limit")
    @api.depends_context("company")
    def _compute_adv_credit_limit(self):
        for partner in self:
            partner.adv_credit_limit = partner.sudo().credit_limit

    def _inverse_adv_credit_limit(self):
        # write() checked that the user is a Credit Manager; Odoo's field is the accountants' otherwise.
        for partner in self:
            if partner.sudo().credit_limit != partner.adv_credit_limit:
                partner.sudo().credit_limit = partner.adv_credit_limit

    def _compute_adv_is_own_company(self):
        ids = tuple(self._origin.ids)
        own = set()
        if ids:
            self.env["res.company"].flush_model(["partner_id"])
            query = SQL("SELECT partner_id FROM res_company WHERE partner_id IN %s", ids)
            own = {partner_id for (partner_id,) in self.env.execute_query(query)}
        for partner in self:
            partner.adv_is_own_company = partner._origin.id in own

    def _search_adv_is_own_company(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        companies = SQL("(SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)")
        return [("id", "in" if (operator == "=") == value else "not in", companies)]

    @api.depends_context("company")
    def _compute_adv_avg_days_late(self):
        delays = {}
        commercial = self.commercial_partner_id
        if commercial.ids:
            self.env["account.move.line"].flush_model()
            self.env["account.partial.reconcile"].flush_model()
            # The one definition of the payment delay, also read by the cash forecast.
            query = SQL(
                "SELECT partner_id, days FROM (%s) delays",
                payment_delays_sql(
                    SQL(
                        "l.company_id = %s AND rp.commercial_partner_id IN %s",
                        self.env.company.id,
                        tuple(commercial.ids),
                    )
                ),
            )
            delays = dict(self.env.execute_query(query))
        for partner in self:
            partner.adv_avg_days_late = float(delays.get(partner.commercial_partner_id.id) or 0.0)

    def _compute_adv_open_dispute_count(self):
        groups = self.env["adv.dispute"]._read_group(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("state", "not in", ("resolved", "cancel")),
            ],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.adv_open_dispute_count = counts.get(partner.commercial_partner_id.id, 0)

    # ------------------------------------------------------------ search methods (one SQL query each)
    def _search_adv_credit_over_limit(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        company = self.env.company
        self.env["adv.credit.exposure"]._flush_sources()
        self.flush_model(self._adv_credit_limit_fields())
        query = SQL(
            """
            (SELECT p.id FROM res_partner p
               JOIN adv_credit_exposure e ON e.partner_id = p.id AND e.company_id = %(company)s
              WHERE %(limit)s > 0 AND e.amount_decision > %(limit)s)
            """,
            company=company.id,
            limit=self._adv_credit_limit_sql(company, "p"),
        )
        return [("id", "in" if positive else "not in", query)]

    def _search_adv_exposure_total(self, operator, value):
        return self._adv_search_exposure_amount(SQL("COALESCE(e.amount_total, 0)"), operator, value)

    def _search_adv_credit_remaining(self, operator, value):
        company = self.env.company
        expression = SQL("%s - COALESCE(e.amount_decision, 0)", self._adv_credit_limit_sql(company, "p"))
        return self._adv_search_exposure_amount(expression, operator, value)

    def _adv_search_exposure_amount(self, expression, operator, value):
        if operator not in SQL_OPERATORS or not isinstance(value, int | float):
            return NotImplemented
        self.env["adv.credit.exposure"]._flush_sources()
        self.flush_model(self._adv_credit_limit_fields())
        query = SQL(
            """
            (SELECT p.id FROM res_partner p
               LEFT JOIN adv_credit_exposure e ON e.partner_id = p.id AND e.company_id = %s
              WHERE p.id = p.commercial_partner_id AND %s %s %s)
            """,
            self.env.company.id,
            expression,
            SQL(SQL_OPERATORS[operator]),
            value,
        )
        return [("id", "in", query)]

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # Sorting customers by exposure or remaining credit: join the exposure table, no Python sort.
        if field_name not in ("adv_exposure_total", "adv_credit_remaining"):
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        company = self.env.company
        exposure_alias = query.make_alias(alias, "adv_exposure")
        query.add_join(
            "LEFT JOIN",
            exposure_alias,
            "adv_credit_exposure",
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(exposure_alias, "partner_id"),
                SQL.identifier(alias, "commercial_partner_id"),
                SQL.identifier(exposure_alias, "company_id"),
                company.id,
            ),
        )
        if field_name == "adv_exposure_total":
            value = SQL("COALESCE(%s, 0)", SQL.identifier(exposure_alias, "amount_total"))
        else:
            value = SQL(
                "%s - COALESCE(%s, 0)",
                self._adv_credit_limit_sql(company, alias),
                SQL.identifier(exposure_alias, "amount_decision"),
            )
        return SQL("%s %s %s", value, direction, nulls)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        res = super().fields_get(allfields, attributes)
        # Sorted in SQL by _order_field_to_sql although not stored: let the list headers sort them.
        for fname in ("adv_exposure_total", "adv_credit_remaining"):
            if fname in res and "sortable" in res[fname]:
                res[fname]["sortable"] = True
        return res

    # ------------------------------------------------------------ constraint methods
    @api.constrains(
        "credit_limit", "adv_credit_temp_increase", "adv_credit_insured_limit", "adv_credit_cover_pct"
    )
    def _check_adv_credit_profile(self):
        for partner in self.sudo():
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The credit limit of %s cannot be negative: enter 0 for no limit.",
                        partner.display_name,
                    )
                )
            if partner.adv_credit_temp_increase < 0:
                raise ValidationError(
                    self.env._(
                        "The temporary increase of %s cannot be negative: enter 0 for none, or lower the "
                        "credit limit itself.",
                        partner.display_name,
                    )
                )
            if partner.adv_credit_insured_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The insured limit of %s cannot be negative: enter 0 when it is not insured.",
                        partner.display_name,
                    )
                )
            if not 0 <= partner.adv_credit_cover_pct <= 100:
                raise ValidationError(
                    self.env._(
                        "The insurance cover of %s must be between 0 and 100 %%.", partner.display_name
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # The web client sends the defaults of the fields it shows (a default credit limit among them).
            defaults = self.default_get([f for f in PROFILE_OWNERS if f in self._fields])
            for vals in vals_list:
                changed = {
                    f: v
                    for f, v in vals.items()
                    if f in PROFILE_OWNERS
                    and f not in self._adv_credit_unguarded_fields()
                    and (f not in defaults or v != defaults[f])
                }
                check_owned_fields(self, changed, PROFILE_OWNERS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_owned_fields(self, self._adv_credit_changed_profile(vals), PROFILE_OWNERS)
        logged = {"credit_limit", "adv_credit_temp_increase", "adv_credit_status"} & set(vals)
        before = {partner: {f: partner.sudo()[f] for f in logged} for partner in self} if logged else {}
        res = super().write(vals)
        if before:
            self._adv_log_profile_changes(before)
        return res

    # ------------------------------------------------------------ actions
    def action_adv_mark_reviewed(self):
        # A review lifts the account-opening block: a credit decision, the Credit Manager's.
        if not self.env.user.has_group(CREDIT_MANAGER):
            raise AccessError(self.env._("Only a Credit Manager can record a credit review."))
        self.sudo().write({"adv_credit_reviewed_on": fields.Date.context_today(self)})
        for partner in self:
            partner.sudo().message_post(body=self.env._("Credit review done."))

    def action_adv_open_exposure(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Exposure"),
            "res_model": "adv.credit.exposure",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
        }

    def action_adv_open_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("adv_credit_mgmt.action_adv_dispute")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------ business methods
    def _adv_credit_changed_profile(self, vals):
        """The credit-profile values of ``vals`` that change at least one of these partners: forms and
        Odoo's partner merge send unchanged values too, which must not need a Credit Manager. A contact
        taking its company's value is no change either: that is Odoo's commercial-field sync
        (``credit_limit`` is one), and credit decisions read the company's profile, not the contact's."""
        if self.env.su:
            return {}
        changed = {}
        for fname, value in vals.items():
            if fname not in PROFILE_OWNERS or fname in self._adv_credit_unguarded_fields():
                continue
            field = self._fields[fname]
            for partner in self.sudo():
                new = field.convert_to_record(field.convert_to_cache(value, partner), partner)
                commercial = partner.commercial_partner_id
                if new != partner[fname] and (commercial == partner or new != commercial[fname]):
                    changed[fname] = value
                    break
        return changed

    @api.model
    def _adv_credit_unguarded_fields(self):
        """Profile fields anyone with write access sets in the current company.

        ``credit_limit`` is Odoo's own field (Odoo's credit warning, imports, Odoo's own tests write it as
        accountants): it becomes the Credit Manager's where the company has switched on one of the
        suite's credit checks, which decide on it. Installing the suite changes nothing else.
        """
        return set() if self.env.company._adv_credit_control_on() else {"credit_limit"}

    @api.model
    def _adv_credit_limit_fields(self):
        return [
            "credit_limit",
            "adv_credit_temp_increase",
            "adv_credit_temp_until",
            "adv_credit_insured_limit",
            "adv_credit_insured_until",
        ]

    @api.model
    def _adv_credit_computed_fields(self):
        return [name for name, field in self._fields.items() if field.compute == "_compute_adv_credit"]

    @api.model
    def _adv_credit_column_sql(self, company, alias, fname, cast):
        """SQL value of the company-dependent field ``fname`` of partner row ``alias`` in ``company``."""
        return SQL("(%s->>%s)::%s", SQL.identifier(alias, fname), str(company.id), SQL(cast))

    @api.model
    def _adv_credit_limit_sql(self, company, alias):
        """SQL expression of the effective credit limit of partner row ``alias`` in ``company``.

        The insured-limit cap is read from the company row inside the expression, so that a search on it
        stays one query even when the company is not in the ORM cache.
        """
        self.env["res.company"].flush_model(["adv_credit_cap_insured"])
        fallback = (
            self.env["ir.default"]
            .sudo()
            .with_company(company)
            ._get_model_defaults("res.partner")
            .get("credit_limit")
            or 0.0
        )

        def column(name, cast):
            return self._adv_credit_column_sql(company, alias, name, cast)

        today = company_today_sql(company.id)

        limit = SQL(
            "(COALESCE(%s, %s) + CASE WHEN %s >= %s THEN COALESCE(%s, 0) ELSE 0 END)",
            column("credit_limit", "numeric"),
            fallback,
            column("adv_credit_temp_until", "date"),
            today,
            column("adv_credit_temp_increase", "numeric"),
        )
        insured = column("adv_credit_insured_limit", "numeric")
        return SQL(
            "(CASE WHEN (SELECT c.adv_credit_cap_insured FROM res_company c WHERE c.id = %s) "
            "AND COALESCE(%s, 0) > 0 AND COALESCE(%s, %s) >= %s "
            "THEN LEAST(%s, %s) ELSE %s END)",
            company.id,
            insured,
            column("adv_credit_insured_until", "date"),
            today,
            today,
            limit,
            insured,
            limit,
        )

    def _adv_credit_limit_label(self, limit):
        """The effective limit as the Credit tab and Customer Credit say it: an amount, or "No limit"."""
        if limit <= 0:
            return self.env._("No limit")
        return formatLang(self.env, limit, currency_obj=self.env.company.currency_id)

    def _adv_credit_is_blocked(self):
        """True when the commercial partner's account is blocked or in legal collection in this company."""
        self.ensure_one()
        return self.commercial_partner_id.sudo().adv_credit_status in BLOCKED_STATUSES

    def _adv_log_profile_changes(self, before):
        labels = dict(self._fields["adv_credit_status"]._description_selection(self.env))
        # The context only carries the text of the log's reason (a Credit Manager's own words), never a
        # permission: the change itself was allowed by write()'s guard.
        reason = self.env.context.get("adv_credit_reason") or self.env._("Changed on the customer form")
        logs = []
        for partner, old in before.items():
            for fname, old_value in old.items():
                new_value = partner.sudo()[fname]
                if old_value == new_value:
                    continue
                if fname == "adv_credit_status":
                    old_value, new_value = labels.get(old_value, old_value), labels.get(new_value, new_value)
                else:
                    # credit_limit is not tracked natively: say it in the chatter.
                    partner.sudo().message_post(
                        body=self.env._(
                            "%(field)s changed from %(old)s to %(new)s.",
                            field=self._fields[fname].string,
                            old=old_value,
                            new=new_value,
                        )
                    )
                logs.append(
                    {
                        "partner_id": partner.id,
                        "kind": "status" if fname == "adv_credit_status" else "limit",
                        "code": fname,
                        "old_value": str(old_value or ""),
                        "new_value": str(new_value or ""),
                        "reason": reason,
                    }
                )
        if logs:
            self.env["adv.credit.override"].sudo().create(logs)

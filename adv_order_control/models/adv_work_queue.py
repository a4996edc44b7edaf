from dataclasses import dataclass, field

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval


@dataclass(frozen=True)
class WorkQueueSpec:
    """What one overview card counts and opens.

    ``model``: the records behind the card; ``domain``: which of them (the company restriction is added by
    the card); ``action``: xmlid of the window action whose views the card opens (default: the model's
    default views); ``amount_field``: a monetary field summed for the card's amount (None: a count only);
    ``company_field``: the field holding the record's company; ``context``: extra context of the list.
    """

    model: str
    domain: list
    action: str | None = None
    amount_field: str | None = None
    company_field: str = "company_id"
    context: dict = field(default_factory=dict)


class AdvWorkQueue(models.Model):
    _name = "adv.work.queue"
    _description = "ADV Work Queue"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        [
            ("documents_to_validate", "Documents to validate"),
            ("provisional_late", "Provisional orders past their deadline"),
        ],
        required=True,
        help="What the card counts: each ADV module adds its own kinds of cards.",
    )
    description = fields.Char(translate=True, help="One line under the card's title: what to do.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        index="btree_not_null",
        help="Empty: the card counts the records of every company the user is working in.",
    )
    count = fields.Integer(compute="_compute_figures")
    amount = fields.Monetary(compute="_compute_figures", currency_field="currency_id")
    has_amount = fields.Boolean(compute="_compute_figures")
    currency_id = fields.Many2one("res.currency", compute="_compute_figures")
    # Health cards (adv_kpi) show a traffic light; other cards stay neutral.
    state = fields.Selection(
        [("none", "None"), ("green", "Green"), ("amber", "Amber"), ("red", "Red")],
        compute="_compute_figures",
    )
    figure_label = fields.Char(compute="_compute_figures")

    # ------------------------------------------------------------ compute methods
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_figures(self):
        """Count (and sum) the records behind each card: one grouped query per card.

        Modules with cards that are not a plain domain over records (adv_kpi's Health signals) override
        this method for their codes and call super() for the others.
        """
        specs = self._get_queue_specs()
        for card in self:
            card.count = 0
            card.amount = 0.0
            card.has_amount = False
            card.state = "none"
            card.figure_label = False
            card.currency_id = (card.company_id or self.env.company).currency_id
            spec = specs.get(card.code)
            # A card on records the user may not read stays empty rather than breaking the overview.
            if not spec or not self.env[spec.model].has_access("read"):
                continue
            aggregates = ["__count"]
            if spec.amount_field:
                aggregates.append(f"{spec.amount_field}:sum")
            [figures] = self.env[spec.model]._read_group(card._queue_domain(spec), [], aggregates)
            card.count = figures[0]
            if spec.amount_field:
                card.has_amount = True
                card.amount = figures[1] or 0.0

    # ------------------------------------------------------------ actions
    def action_open(self):
        """The filtered list behind the card, with the views of the card's action."""
        self.ensure_one()
        spec = self._get_queue_specs().get(self.code)
        if not spec:
            return False
        if spec.action:
            action = self.env["ir.actions.act_window"]._for_xml_id(spec.action)
        else:
            action = {"type": "ir.actions.act_window", "res_model": spec.model, "view_mode": "list,form"}
        # The card's domain is the whole filter: no default search filter of the menu's action on top.
        context = {
            key: value
            for key, value in self._action_context(action).items()
            if not key.startswith("search_default_")
        }
        # A card opens the list behind it, whatever view its menu opens first.
        views = sorted(action.get("views") or [], key=lambda view: view[1] != "list")
        if views:
            action.update(views=views, view_mode=",".join(view[1] for view in views))
        # The breadcrumb reads display_name first: the card's title says what the list is filtered on.
        action.update(
            {
                "name": self.name,
                "display_name": self.name,
                "domain": self._queue_domain(spec),
                "context": dict(context, **spec.context),
                "target": "current",
            }
        )
        return action

    # ------------------------------------------------------------ business methods
    @api.model
    def _get_queue_specs(self):
        """{code: WorkQueueSpec} of the cards this module knows. Override to add the codes of a module
        (and add them to ``code``'s selection)."""
        today = fields.Date.context_today(self)
        return {
            "documents_to_validate": WorkQueueSpec(
                model="adv.document",
                domain=[("state", "=", "received")],
                action="adv_order_control.action_adv_document",
            ),
            "provisional_late": WorkQueueSpec(
                model="sale.order",
                domain=[
                    ("state", "=", "sale"),
                    ("adv_contract_status", "=", "provisional"),
                    ("adv_regularisation_date", "<", today),
                ],
                action="sale.action_orders",
                amount_field="amount_untaxed",
            ),
        }

    def _queue_companies(self):
        """Companies whose records the card counts: its own if the user works in it, else all the
        companies the user works in now (the company switcher)."""
        self.ensure_one()
        if self.company_id:
            return self.company_id & self.env.companies
        return self.env.companies

    def _queue_domain(self, spec):
        self.ensure_one()
        return expression.AND([spec.domain, [(spec.company_field, "in", self._queue_companies().ids)]])

    def _action_context(self, action):
        context = action.get("context") or {}
        if isinstance(context, str):
            try:
                context = dict(safe_eval(context, {"uid": self.env.uid, "context": {}}))
            except (ValueError, NameError, TypeError):
                # A context using names only the web client knows: the card's own context stands alone.
                context = {}
        return context

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, format_amount, format_date

from odoo.addons.adv_order_control.tools import commit_progress, in_cron_run, reader_env, try_company_lock

_logger = logging.getLogger(__name__)

STAGE_ORDER = {"friendly": 0, "formal": 1, "legal": 2}

# Invoices reminded per transaction by the daily job (each batch is committed in a cron run).
REMINDER_BATCH_SIZE = 200


class AdvDunningReminder(models.Model):
    _name = "adv.dunning.reminder"
    _description = "Payment Reminder"
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    level_id = fields.Many2one("adv.dunning.level", required=True, ondelete="restrict", check_company=True)
    stage = fields.Selection(related="level_id.stage", store=True)
    channel = fields.Selection(related="level_id.channel", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    date_due = fields.Date(string="Due Date")
    days_late = fields.Integer()
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_residual = fields.Monetary(string="Amount Due")
    user_id = fields.Many2one("res.users", string="Responsible")
    skipped = fields.Boolean(
        readonly=True, help="The level was passed over from the collection work queue: nothing was sent."
    )
    skip_reason = fields.Text(readonly=True)

    _sql_constraints = [
        ("move_level_uniq", "unique(move_id, level_id)", "A reminder level is sent only once per invoice."),
    ]

    # ------------------------------------------------------------ constraint methods
    @api.constrains("move_id", "skipped")
    def _check_not_disputed(self):
        # The customer contests the invoice: chasing it while the dispute is open would contradict the
        # dispute process (the cron and the work queue leave disputed invoices out; this is the guard).
        for reminder in self.filtered(lambda r: not r.skipped):
            if reminder.move_id.adv_disputed:
                raise ValidationError(
                    self.env._(
                        "Invoice %s has an open dispute: no payment reminder until the dispute is closed.",
                        reminder.move_id.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # A reminder keeps the invoice's due date and lateness of the day it was sent (the log).
        moves = self.env["account.move"].browse(
            [vals["move_id"] for vals in vals_list if vals.get("move_id")]
        )
        for vals in vals_list:
            move = moves.browse(vals.get("move_id")).sudo()
            if move and move.invoice_date_due:
                vals.setdefault("date_due", move.invoice_date_due)
                date = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(self)
                vals.setdefault("days_late", (date - move.invoice_date_due).days)
        return super().create(vals_list)

    # ------------------------------------------------------------ actions
    def action_print_letter(self):
        return self.env.ref("adv_credit_mgmt.action_report_adv_reminder_letter").report_action(self)

    # ------------------------------------------------------------ business methods
    @api.model
    def _cron_process_reminders(self):
        """Daily job: the reminders due today, company by company, in batches of invoices.

        In a cron run each batch is committed (cron progress API, one unit per company), so that a crash
        or a fault loses one batch at most; an invoice whose reminder fails (e.g. a broken email template)
        is logged and left for the next run, and a company that fails as a whole does not stop the others.
        A rerun resumes by itself: it sends only the levels not sent yet. Two runs at once (two cron
        workers, "Run Manually" during the job) share the work: a company is processed by one transaction
        at a time (advisory lock) and an invoice being reminded elsewhere is skipped (row lock).
        Outside a cron run (a test, a request) nothing is committed: the work is the caller's transaction.
        """
        companies = (
            self.env["res.company"]
            .union(
                *(
                    company
                    for [company] in self.env["adv.dunning.level"].sudo()._read_group([], ["company_id"])
                )
            )
            .sorted("id")
        )
        interrupted = 0
        for done, company in enumerate(companies, start=1):
            if not self._adv_process_company(company):
                interrupted += 1
            # Interrupted companies count as remaining: Odoo calls the job again at once (resume).
            commit_progress(self.env, done - interrupted, len(companies) - done + interrupted)

    @api.model
    def _adv_process_company(self, company):
        """Send the reminders due today in ``company``; False when the work was interrupted by a
        concurrent transaction (to resume), True when done or handled by another worker."""
        # Batches follow the invoices' ids: each one starts after the last invoice of the previous one, so
        # an invoice that failed here or is being reminded by another transaction is not met again, and
        # no batch walks again over the invoices behind it (from the start, batches made the run
        # quadratic: 14 min for 55,000 reminders among 630,000 invoices).
        after = 0
        cron = in_cron_run(self.env)
        while True:
            try:
                with self.env.cr.savepoint():
                    if not try_company_lock(self.env, "adv_credit_reminders", company.id):
                        _logger.info("Payment reminders of %s: processed by another worker now", company.name)
                        return True
                    due = list(self._adv_due_levels(company=company, after=after, limit=REMINDER_BATCH_SIZE))
                    pairs = self._adv_lock_invoices(due)
                    # The whole batch at once (the usual case); if it fails, customer by customer, so that
                    # only the failing customers are logged and skipped.
                    if not self._adv_try_remind(pairs, log=False):
                        for customer_pairs in self._adv_by_customer(pairs):
                            self._adv_try_remind(customer_pairs)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                if not cron:
                    raise  # a request: Odoo retries it
                _logger.info("Payment reminders of %s: concurrent update, resumed later", company.name)
                return False
            except Exception:
                _logger.exception("Payment reminders of %s failed; the other companies go on", company.name)
                return True
            if not due:
                return True
            after = due[-1][0].id
            if cron:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _adv_by_customer(self, pairs):
        """Split (invoice, level) pairs by customer (commercial partner), in their order."""
        groups = defaultdict(list)
        for invoice, level in pairs:
            groups[invoice.commercial_partner_id].append((invoice, level))
        return list(groups.values())

    @api.model
    def _adv_try_remind(self, pairs, log=True):
        """Create and send the reminders of (invoice, level) ``pairs`` in one savepoint; return False if
        any fails (rolled back), logging it (one customer's pairs: skipped, left for the next run)."""
        if not pairs:
            return True
        try:
            with self.env.cr.savepoint():
                self._adv_remind(pairs)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:
            if not log:
                return False
            invoice = pairs[0][0]
            _logger.exception(
                "Payment reminders of customer %s (%s; invoices %s) failed, skipped",
                invoice.commercial_partner_id.display_name,
                invoice.company_id.name,
                ", ".join(inv.name for inv, _level in pairs),
            )
            return False
        return True

    @api.model
    def _adv_process_due(self, moves=None):
        """Create the reminders due today for ``moves`` (or every open customer invoice); return them.

        Each invoice gets at most one new reminder per run, for the highest level it has reached and not
        received yet; disputed invoices and invoices excluded by hand get none. Invoices another
        transaction is reminding right now are left to it (see :meth:`_adv_lock_due`).
        """
        return self._adv_remind(self._adv_lock_due(moves))

    @api.model
    def _adv_remind(self, pairs):
        """Create the reminders of (invoice, level) ``pairs`` in one batch and send them."""
        if not pairs:
            return self.browse()
        today = fields.Date.context_today(self)
        reminders = self.sudo().create(
            [
                {
                    "move_id": invoice.id,
                    "partner_id": invoice.commercial_partner_id.id,
                    "company_id": invoice.company_id.id,
                    "level_id": level.id,
                    "date": today,
                    "date_due": invoice.invoice_date_due,
                    "days_late": (today - invoice.invoice_date_due).days,
                    "amount_residual": invoice.amount_residual_signed,
                    "user_id": invoice.invoice_user_id.id or self.env.user.id,
                }
                for invoice, level in pairs
            ]
        )
        reminders._adv_send()
        return reminders

    @api.model
    def _adv_lock_due(self, moves=None):
        return self._adv_lock_invoices(list(self._adv_due_levels(moves)))

    @api.model
    def _adv_lock_invoices(self, pairs):
        """Keep the (invoice, level) pairs whose invoice this transaction could lock, and lock them.

        An invoice locked by another transaction (a second worker, a user's click) is skipped: that
        transaction is reminding it. One reminded and committed since this transaction started makes the
        lock fail with a serialization error, which Odoo retries (a request) or the job resumes later:
        either way the retry sees the reminder sent. Exactly one reminder per invoice and level.
        """
        if not pairs:
            return []
        self.env.cr.execute(
            "SELECT id FROM account_move WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
            [[invoice.id for invoice, _level in pairs]],
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        return [(invoice, level) for invoice, level in pairs if invoice.id in locked]

    @api.model
    def _adv_due_not_sent(self, moves=None):
        """Invoices (account.move, sudo) whose reminder is due today and has not been sent yet.

        Same rule as the daily cron (open, not disputed, not excluded, a level reached and not yet
        received): right after the cron ran this is empty; anything left means a missed reminder.
        """
        invoices = self.env["account.move"].sudo()
        for invoice, _level in self._adv_due_levels(moves):
            invoices |= invoice
        return invoices

    @api.model
    def _adv_due_levels(self, moves=None, company=None, after=0, limit=None):
        """Yield (invoice, level) for each reminder due today and not sent yet (one query), for
        ``company`` only if given, invoices with an id above ``after``, ``limit`` at most, by invoice id."""
        self._adv_flush_dunning()
        query = SQL(
            "%s AND %s AND m.id > %s ORDER BY move_id %s",
            self._adv_due_query(moves),
            SQL("m.company_id = %s", company.id) if company else SQL("TRUE"),
            after,
            SQL("LIMIT %s", limit) if limit else SQL(),
        )
        rows = self.env.execute_query(query)
        # One prefetch set for all: reading the invoices later loads them together.
        invoices = self.env["account.move"].sudo().browse([row[0] for row in rows])
        levels = self.env["adv.dunning.level"].sudo().browse({row[1] for row in rows})
        for invoice, (_move_id, level_id) in zip(invoices, rows, strict=True):
            yield invoice, levels.browse(level_id).with_prefetch(levels._prefetch_ids)

    @api.model
    def _adv_flush_dunning(self):
        for model in ("account.move", "adv.dunning.level", "adv.dunning.reminder", "adv.dispute"):
            self.env[model].flush_model()

    @api.model
    def _adv_due_query(self, moves=None):
        """SQL of (move_id, level_id): the reminders due today and not sent yet. The one place of the
        level rule, used by the daily job, the mass action, the collection work queue and the KPIs.

        The level due is the highest active level of the invoice's company whose delay is reached and
        above the last level sent (or skipped); open, not disputed, not excluded invoices only.
        """
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT m.id AS move_id, due.level_id AS level_id
              FROM account_move m
              LEFT JOIN adv_dunning_level last ON last.id = m.adv_dunning_level_id
             CROSS JOIN LATERAL (
                   SELECT lv.id AS level_id FROM adv_dunning_level lv
                    WHERE lv.company_id = m.company_id AND lv.active
                      AND lv.delay <= %(today)s - m.invoice_date_due
                      AND (last.id IS NULL OR lv.delay > last.delay)
                 ORDER BY lv.delay DESC, lv.id DESC
                    LIMIT 1
                   ) due
             WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
               AND m.payment_state IN ('not_paid', 'partial')
               AND m.adv_disputed IS NOT TRUE AND m.adv_dunning_excluded IS NOT TRUE
               AND m.invoice_date_due IS NOT NULL AND %(moves)s
               AND NOT EXISTS (SELECT 1 FROM adv_dunning_reminder r
                                WHERE r.move_id = m.id AND r.level_id = due.level_id)
            """,
            today=today,
            moves=SQL("m.id = ANY(%s)", moves.ids) if moves is not None else SQL("TRUE"),
        )

    def _adv_send(self):
        """Send the reminders of ``self`` level by level: one batch of emails, chatter notes and calls per
        level, and one hand-over activity per customer reaching the formal notice stage."""
        handed_over = defaultdict(lambda: self.browse())  # (customer, level): reminders handed over
        for level, reminders in self.grouped("level_id").items():
            invoices = reminders.move_id
            previous = {invoice: invoice.adv_dunning_level_id for invoice in invoices}
            invoices._adv_set_dunning_level(level)
            if level.channel == "email":
                invoices.message_post_with_source(level.mail_template_id, subtype_xmlid="mail.mt_comment")
            elif level.channel == "phone":
                reminders._adv_schedule_calls(level)
            else:
                invoices._adv_log_note(
                    self.env._("Reminder letter %s to print and send (Reminders menu).", level.name)
                )
            if STAGE_ORDER[level.stage] >= 1:
                # Moving to the finance stage hands the invoice over to the credit controller.
                for reminder in reminders:
                    before = previous[reminder.move_id]
                    if not before or STAGE_ORDER[before.stage] < 1:
                        handed_over[reminder.partner_id, level] |= reminder
        if handed_over:
            self._adv_hand_over(handed_over)

    def _adv_schedule_calls(self, level):
        """One call activity per invoice, created in one batch per responsible."""
        for responsible, reminders in self.grouped(lambda r: r._adv_responsible(level)).items():
            reminders.move_id.activity_schedule(
                "mail.mail_activity_data_call",
                summary=reader_env(self.env, responsible)._(
                    "Payment reminder call: %s", level.with_context(lang=responsible.lang).name
                ),
                user_id=responsible.id,
            )

    @api.model
    def _adv_hand_over(self, handed_over):
        """Hand customers over to their company's credit controller: ``handed_over`` maps (customer, level)
        to the reminders of the customer's invoices reaching the formal notice stage at that level.

        One activity per customer (on the customer, listing the invoices), not one per invoice; an open
        hand-over activity of the customer gets the invoices added instead. The activities are created in
        one batch and each controller gets one notification listing the customers, not one per activity.
        """
        controllers, notes, formatted = {}, defaultdict(Markup), {}
        for (customer, level), reminders in handed_over.items():
            company = reminders.company_id
            if company not in controllers:
                controllers[company] = self.env["sale.order"]._adv_credit_controller_user(company)
            notes[customer, controllers[company]] += reminders._adv_hand_over_note(
                level, controllers[company], formatted
            )
        handover_type = self.env.ref("adv_credit_mgmt.mail_activity_adv_collection_handover")
        Activity = self.env["mail.activity"].sudo()
        existing = {
            (activity.res_id, activity.user_id): activity
            for activity in Activity.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", [customer.id for customer, _controller in notes]),
                    ("activity_type_id", "=", handover_type.id),
                    ("user_id", "in", [controller.id for controller in controllers.values()]),
                ],
                order="id desc",
            )
        }
        vals_list = []
        for (customer, controller), note in notes.items():
            activity = existing.get((customer.id, controller))
            if activity:
                activity.note = (activity.note or Markup()) + note
                continue
            vals_list.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": customer.id,
                    "activity_type_id": handover_type.id,
                    "summary": reader_env(self.env, controller)._(
                        "Formal notice stage: collection handed over to the credit controller"
                    ),
                    "note": note,
                    "user_id": controller.id,
                    "date_deadline": fields.Date.context_today(self),
                    "automated": True,
                }
            )
        # Odoo names each activity's document one record at a time (a query per customer, a third of
        # the hand-over's time in a large run): the customers' names are read in one query first.
        Activity.env["res.partner"].browse([vals["res_id"] for vals in vals_list]).mapped("display_name")
        # No assignment email per activity (mail_activity_quick_update): one per controller below.
        activities = Activity.with_context(mail_activity_quick_update=True).create(vals_list)
        self._adv_notify_hand_over(activities)
        return activities

    def _adv_hand_over_note(self, level, controller, formatted=None):
        """The invoices of ``self`` (one customer) handed over at ``level``, in ``controller``'s language.
        ``formatted``: the dates and amounts already formatted in this run (they repeat from one customer
        to the next, and Odoo's formatting looks the language up on every call)."""
        env = reader_env(self.env, controller)
        formatted = {} if formatted is None else formatted
        lines = []
        for reminder in self.sorted(lambda r: (r.date_due, r.move_id.id)):
            due = (env.lang, reminder.date_due)
            amount = (env.lang, reminder.amount_residual, reminder.currency_id)
            if due not in formatted:
                formatted[due] = env._("due %s", format_date(env, reminder.date_due))
            if amount not in formatted:
                formatted[amount] = format_amount(env, reminder.amount_residual, reminder.currency_id)
            lines.append(
                Markup("<li>%s: %s, %s</li>") % (reminder.move_id.name, formatted[due], formatted[amount])
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            env._("%(level)s: invoices handed over to the credit controller", level=level.with_env(env).name),
            Markup().join(lines),
        )

    @api.model
    def _adv_notify_hand_over(self, activities):
        """One notification per controller for the hand-over ``activities`` of a run (Odoo sends one per
        activity): the customers handed over, whose activities list the invoices."""
        for controller, assigned in activities.grouped("user_id").items():
            if controller == self.env.user:
                continue  # as Odoo: no notification of one's own activities
            env = reader_env(self.env, controller)
            customers = Markup().join(Markup("<li>%s</li>") % activity.res_name for activity in assigned)
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=controller.partner_id.ids,
                subject=env._("Collection hand-over: %s customer(s)", len(assigned)),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    env._("Customers handed over to you (see their Collection Hand-over activity):"),
                    customers,
                ),
                email_layout_xmlid="mail.mail_notification_light",
            )

    @api.model
    def _adv_skip(self, invoice, level, reason):
        """Pass over ``level`` for ``invoice`` without sending it: logged as a skipped reminder (so that
        the next level comes in its turn) and in the invoice's chatter."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why this reminder is skipped."))
        today = fields.Date.context_today(self)
        reminder = self.sudo().create(
            {
                "move_id": invoice.id,
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": invoice.company_id.id,
                "level_id": level.id,
                "date": today,
                "amount_residual": invoice.amount_residual_signed,
                "user_id": self.env.user.id,
                "skipped": True,
                "skip_reason": reason,
            }
        )
        invoice.sudo()._adv_set_dunning_level(level)
        invoice.message_post(
            body=self.env._("Payment reminder %(level)s skipped: %(reason)s", level=level.name, reason=reason)
        )
        return reminder

    def _adv_responsible(self, level):
        self.ensure_one()
        users = level.group_id.users.filtered(lambda u: self.company_id in u.company_ids and not u.share)
        return users.sorted("id")[:1] or self.user_id or self.env.user

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.adv_order_control.tools import local_today_sql


class AdvLateSubmitterReport(models.Model):
    _name = "adv.late.submitter.report"
    _description = "Late Submitters"
    _auto = False
    _order = "date_start desc"

    submission_id = fields.Many2one("adv.timesheet.submission", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    manager_user_id = fields.Many2one("res.users", string="Manager", readonly=True)
    period_id = fields.Many2one("adv.billing.period", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date(string="Period Start", readonly=True)
    submission_deadline = fields.Date(readonly=True)
    submitted_on = fields.Datetime(readonly=True)
    late_count = fields.Integer(string="Late", readonly=True, aggregator="sum")
    lateness_days = fields.Float(string="Days Late", readonly=True, aggregator="avg")
    reminder_count = fields.Integer(string="Reminders", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        # Lateness counts from the deadline to the submission, or to the company's today while still missing.
        today = local_today_sql(SQL("cop.tz")).code
        return f"""
            SELECT s.id, s.id AS submission_id, s.employee_id, s.manager_user_id, s.period_id, s.company_id,
                   s.date_start, s.submission_deadline, s.submitted_on, s.reminder_count,
                   GREATEST(COALESCE(s.submitted_on::date, {today}) - s.submission_deadline, 0)
                       AS lateness_days,
                   CASE WHEN COALESCE(s.submitted_on::date, {today}) > s.submission_deadline
                        THEN 1 ELSE 0 END AS late_count
              FROM adv_timesheet_submission s
              JOIN res_company co ON co.id = s.company_id
              JOIN res_partner cop ON cop.id = co.partner_id
             WHERE s.submission_deadline IS NOT NULL
               AND (s.submitted_on IS NOT NULL OR s.submission_deadline < {today})
        """

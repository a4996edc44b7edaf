from datetime import date, timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import AdvKpiCommon


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase, AdvKpiCommon):
    def test_dashboard_tour(self):
        """The Health: DSO card leads to the customers behind it; the dashboard's and the cash
        forecast's charts fit their frame."""
        # admin works in the test company: the overview counts the companies the user works in.
        self.env.ref("base.user_admin").write(
            {"company_ids": [Command.link(self.company.id)], "company_id": self.company.id}
        )
        today = date.today()
        last_month = today.replace(day=1) - timedelta(days=1)
        self._invoice(self.customer_a, 1000.0, today.replace(day=1))
        customer = self.env["res.partner"].create({"name": "Tour DSO Customer", "company_id": False})
        self._invoice(customer, 2500.0, last_month.replace(day=1), due=last_month.replace(day=10))
        for month in (last_month, today):
            self.Snapshot._compute_month(self.company, month)
        self.env["adv.kpi.signal"]._refresh(self.company)
        dashboard = self.env.ref("adv_kpi.dashboard_adv_kpi")
        self.assertIn(self.env.ref("adv_order_control.group_adv_user"), dashboard.group_ids)
        card = self.env.ref("adv_kpi.work_queue_health_dso").with_company(self.company)
        rows = self.env["adv.credit.exposure"].search(card.action_open()["domain"])
        self.assertEqual(rows.partner_id, customer)
        self.assertEqual((card.count, card.amount), (1, 2500.0))
        self.start_tour("/odoo", "adv_kpi_dashboard_tour", login="admin")

from datetime import date

from odoo.tests import HttpCase, tagged

from .common import AdvKpiCommon


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase, AdvKpiCommon):
    def test_dashboard_tour(self):
        self._invoice(self.customer_a, 1000.0, date.today().replace(day=1))
        self.Snapshot._compute_month(self.company, date.today())
        dashboard = self.env.ref("adv_kpi.dashboard_adv_kpi")
        self.assertIn(self.env.ref("adv_order_control.group_adv_user"), dashboard.group_ids)
        url = "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action"
        self.start_tour(url, "adv_kpi_dashboard_tour", login="admin")

"""Issue 11: the KPI pivot opens on a layout one reads at a glance, and empty lists say what they are for."""

from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestKpiViews(TransactionCase):
    def test_pivot_opens_one_row_a_month_with_few_measures(self):
        arch = etree.fromstring(self.env["adv.kpi.snapshot"].get_view(view_type="pivot")["arch"])
        self.assertFalse(arch.get("sample"), "no fake figures in an empty pivot")
        rows = [f.get("name") for f in arch.iter("field") if f.get("type") == "row"]
        cols = [f.get("name") for f in arch.iter("field") if f.get("type") == "col"]
        measures = [f.get("name") for f in arch.iter("field") if f.get("type") == "measure"]
        self.assertEqual((rows, cols), (["month"], []))
        self.assertLessEqual(len(measures), 3)
        self.assertIn("credit_sales", measures)

    def test_kpi_actions_say_what_they_are_for(self):
        for xmlid in ("adv_kpi.action_adv_kpi_productivity", "adv_kpi.action_adv_kpi_cash"):
            with self.subTest(action=xmlid):
                self.assertIn("o_view_nocontent", self.env.ref(xmlid).help or "")

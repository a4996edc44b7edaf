import json
from datetime import date
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import AdvKpiCommon

# What the suite's report screens call through the web client's /web/dataset/call_kw (model, method,
# args, kwargs), besides the dashboard's own data sources read from its spreadsheet below.
SCREEN_CALLS = [
    (
        "adv.credit.exposure",
        "web_search_read",
        [[]],
        {
            "specification": {"partner_id": {"fields": {"display_name": {}}}, "amount_decision": {}},
            "limit": 80,
        },
    ),
    ("adv.cash.forecast", "web_read_group", [[], ["amount:sum"], ["week_start:week"]], {}),
    ("adv.cash.forecast", "web_search_read", [[]], {"specification": {"amount": {}, "certainty": {}}}),
    (
        "adv.kpi.snapshot",
        "web_read_group",
        [[("dimension", "=", "company")], ["credit_sales:sum"], ["month"]],
        {},
    ),
    ("adv.kpi.invoice.report", "web_search_read", [[]], {"specification": {"amount_total": {}}, "limit": 80}),
    ("adv.kpi.invoice.report", "read_group", [[], ["amount_total:sum"], ["invoice_date:month"]], {}),
]


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(HttpCase, AdvKpiCommon):
    """With a read replica (``db_replica_host``), Odoo 18 serves a request on it when its route is
    read-only: ``/web/content`` (downloads) and ``/web/dataset/call_kw|call_button`` when the model
    method is ``@api.readonly``. HttpCase runs those requests in a read-only transaction (SET TRANSACTION
    READ ONLY), like the replica would: a method that writes fails there, and Odoo logs a warning and
    replays it on the primary. Each screen of the suite must be routed read-only and write nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company's figures are the ADV Manager's (an ADV User sees their own scope).
        cls.adv_manager.groups_id |= cls.env.ref("adv_credit_mgmt.group_credit_controller")
        cls.adv_manager.password = "kpi_adv_manager"
        invoice = cls._invoice(cls.customer_a, 1000.0, date.today().replace(day=1))
        cls._invoice(cls.customer_b, 500.0, date.today().replace(day=1), due=date.today())
        cls._pay(invoice, 400.0, date.today())
        cls.Snapshot._compute_month(cls.company, date.today())

    def setUp(self):
        super().setUp()
        self.authenticate(self.adv_manager.login, self.adv_manager.login)
        self.context = {"allowed_company_ids": [self.company.id], "lang": "en_US"}

    def _readonly_route(self, model, method):
        """Whether /web/dataset/call_kw routes ``model.method`` read-only (as DataSet._call_kw_readonly)."""
        for cls in type(self.env[model]).mro():
            func = getattr(cls, method, None)
            if func is not None and hasattr(func, "_readonly"):
                return func._readonly
        return False

    def _call(self, model, method, args, kwargs, route="call_kw"):
        kwargs = dict(kwargs, context=self.context)
        return self.make_jsonrpc_request(
            f"/web/dataset/{route}/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def _assert_read_only(self, model, method, args, kwargs=None, route="call_kw"):
        self.assertTrue(self._readonly_route(model, method), f"{model}.{method} is not routed read-only")
        # The warning Odoo logs when a read-only request wrote and was replayed on the primary.
        with self.assertNoLogs("odoo.http", "WARNING"):
            return self._call(model, method, args, kwargs or {}, route)

    def test_report_screens_read_only(self):
        for model, method, args, kwargs in SCREEN_CALLS:
            with self.subTest(model=model, method=method):
                self._assert_read_only(model, method, args, kwargs)
        exposure = self._call(
            "adv.credit.exposure", "search_read", [[("partner_id", "=", self.customer_b.id)]], {}
        )
        self.assertEqual(exposure[0]["amount_decision"], 500.0, "the screens read the customer's exposure")

    def test_dashboard_data_read_only(self):
        """Each pivot and list of the ADV dashboard's spreadsheet is read as the dashboard reads it."""
        dashboard = self.env.ref("adv_kpi.dashboard_adv_kpi")
        snapshot = json.loads(dashboard.spreadsheet_data)
        self.assertTrue(snapshot["pivots"] and snapshot["lists"])
        for pivot in snapshot["pivots"].values():
            measures = [f"{measure['fieldName']}:sum" for measure in pivot["measures"]]
            groupby = [row["fieldName"] for row in pivot.get("rows", [])]
            with self.subTest(pivot=pivot["name"]):
                groups = self._assert_read_only(
                    pivot["model"], "web_read_group", [pivot["domain"], measures, groupby[:1]], {"lazy": True}
                )
                if pivot["domain"] == [["dimension", "=", "company"]]:
                    self.assertTrue(groups["groups"], "the company's KPIs are found")
        for data_list in snapshot["lists"].values():
            spec = {name: {} for name in data_list["columns"]}
            with self.subTest(list=data_list["name"]):
                self._assert_read_only(
                    data_list["model"],
                    "web_search_read",
                    [],
                    {"domain": data_list["domain"], "specification": spec},
                )

    def test_drill_down_read_only(self):
        """Opening the invoices behind a pivot row is read-only (``@api.readonly``): served by the replica."""
        row = self.Snapshot.search(
            [("company_id", "=", self.company.id), ("dimension", "=", "company")], limit=1
        )
        action = self._assert_read_only(
            "adv.kpi.snapshot", "action_view_invoices", [row.ids], route="call_button"
        )
        self.assertEqual(action["res_model"], "adv.kpi.invoice.report")

    def test_xlsx_export_download_read_only(self):
        """The export wizard writes its file on the primary; the download (/web/content, a read-only route)
        is served by the replica and writes nothing."""
        wizard = self._call("adv.kpi.export.wizard", "create", [{"company_id": self.company.id}], {})
        self.assertFalse(self._readonly_route("adv.kpi.export.wizard", "action_export"), "it creates a file")
        action = self._call("adv.kpi.export.wizard", "action_export", [[wizard]], {}, route="call_button")
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK", "an XLSX workbook")

    def test_write_in_read_only_route_is_caught(self):
        """The checks above can fail: a method routed read-only that writes is refused by the read-only
        transaction, and Odoo logs it and replays it on the primary."""
        row = self.Snapshot.search([("company_id", "=", self.company.id)], limit=1)

        def writing_drill_down(snapshots):
            snapshots.env.cr.execute(
                "UPDATE adv_kpi_snapshot SET computed_on = now() WHERE id = %s", snapshots.ids
            )
            return {}

        writing_drill_down._readonly = True
        Snapshot = type(self.env["adv.kpi.snapshot"])
        with (
            patch.object(Snapshot, "action_view_invoices", writing_drill_down, create=False),
            self.assertLogs("odoo.http", "WARNING") as logs,
            mute_logger("odoo.sql_db"),
        ):
            self._call("adv.kpi.snapshot", "action_view_invoices", [row.ids], {}, route="call_button")
        self.assertIn("retrying with a read/write cursor", "\n".join(logs.output))

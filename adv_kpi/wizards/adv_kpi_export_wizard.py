import io

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import xlsxwriter

# Sheets of the workbook after the summary: (sheet key, snapshot fields shown, trend field charted).
KPI_SHEETS = [
    (
        "dso",
        [
            "receivable_end",
            "receivable_not_due",
            "credit_sales",
            "dso_simple",
            "dso_countback",
            "dso_best",
            "days_delinquent",
        ],
        "dso_simple",
    ),
    ("delay", ["delay_base", "billing_delay"], "billing_delay"),
    (
        "credit",
        [
            "invoice_count",
            "invoice_amount",
            "refund_count",
            "refund_amount",
            "credit_note_rate",
            "credit_note_amount_rate",
            "error_refund_count",
            "billing_error_rate",
        ],
        "credit_note_rate",
    ),
    (
        "dispute",
        [
            "dispute_count",
            "dispute_amount",
            "dispute_rate",
            "dispute_resolution_time",
            "dispute_in_time_rate",
        ],
        "dispute_rate",
    ),
    ("otif", ["otif_count", "otif_base", "billing_otif"], "billing_otif"),
    ("productivity", ["orders_handled", "invoice_count", "refund_count", "dispute_count"], "invoice_count"),
    ("accrual", ["fae_amount", "pca_amount"], "fae_amount"),
    (
        "cash",
        ["daily_revenue", "billing_delay", "days_delinquent", "cash_tied_delay", "cash_tied_late"],
        "cash_tied_delay",
    ),
]
SUMMARY_FIELDS = [
    "credit_sales",
    "dso_simple",
    "dso_countback",
    "dso_best",
    "days_delinquent",
    "billing_delay",
    "credit_note_rate",
    "billing_error_rate",
    "dispute_rate",
    "billing_otif",
    "fae_amount",
    "pca_amount",
    "cash_tied_delay",
    "cash_tied_late",
]
INVOICE_FIELDS = [
    "invoice_date",
    "move_id",
    "partner_id",
    "salesperson_id",
    "agent_id",
    "move_type",
    "amount_total",
    "amount_untaxed",
    "reference_date",
    "billing_delay",
    "invoicing_deadline",
    "is_otif",
    "is_credited",
    "is_billing_error",
]
CHUNK = 2000


class AdvKpiExportWizard(models.TransientModel):
    _name = "adv.kpi.export.wizard"
    _description = "ADV KPI: Export to Excel"

    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=11)

    date_from = fields.Date(
        string="From Month", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(
        string="To Month", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain="[('id', 'in', company_ids)]",
    )
    company_ids = fields.Many2many("res.company", string="Allowed Companies", compute="_compute_company_ids")
    dimension = fields.Selection(
        [("customer", "Customer"), ("salesperson", "Salesperson"), ("agent", "ADV Agent")],
        required=True,
        default="customer",
        help="Breakdown of the KPI sheets; the summary is always for the whole company.",
    )
    include_invoices = fields.Boolean(default=True, help="Add a sheet with every invoice behind the figures.")
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    # ------------------------------------------------------------------ compute
    @api.depends_context("allowed_company_ids")
    def _compute_company_ids(self):
        self.company_ids = self.env.companies

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The first month must come before the last month."))

    # ------------------------------------------------------------------ actions
    def action_export(self):
        self.ensure_one()
        content = self._build_workbook()
        filename = self.env._(
            "ADV KPIs %(company)s %(start)s-%(end)s.xlsx",
            company=self.company_id.name,
            start=self.date_from.strftime("%Y-%m"),
            end=self.date_to.strftime("%Y-%m"),
        )
        self.attachment_id = self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "download",
        }

    # ------------------------------------------------------------------ business
    def _snapshot_domain(self, dimension):
        return [
            ("company_id", "=", self.company_id.id),
            ("dimension", "=", dimension),
            ("month", ">=", self.date_from.replace(day=1)),
            ("month", "<=", self.date_to),
        ]

    def _sheet_titles(self):
        return {
            "dso": self.env._("DSO"),
            "delay": self.env._("Billing delay"),
            "credit": self.env._("Credit notes"),
            "dispute": self.env._("Disputes"),
            "otif": self.env._("Billing OTIF"),
            "productivity": self.env._("Productivity"),
            "accrual": self.env._("FAE-PCA"),
            "cash": self.env._("Cash tied up"),
        }

    @api.model
    def _summary_fields(self):
        """Company figures of the summary sheet, one column each; bridges append theirs."""
        return list(SUMMARY_FIELDS)

    @api.model
    def _bases(self, names):
        bases = self.env["adv.kpi.snapshot"]._ratio_bases()
        return {bases[name] for name in names if name in bases}

    def _write_figure(self, sheet, formats, row_index, col, row, name):
        """A snapshot figure: a ratio over nothing stays an empty cell (the snapshot stores it empty, the
        ORM reads it as 0), a count an integer."""
        bases = self.env["adv.kpi.snapshot"]._ratio_bases()
        if name in bases and not row[bases[name]]:
            return
        if self.env["adv.kpi.snapshot"]._fields[name].type == "integer":
            sheet.write_number(row_index, col, row[name] or 0, formats["integer"])
        else:
            sheet.write_number(row_index, col, row[name] or 0.0, formats["number"])

    def _labels(self, model, names):
        fields_get = self.env[model].fields_get(names, ["string"])
        return [fields_get[name]["string"] for name in names]

    def _build_workbook(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True}),
            "number": workbook.add_format({"num_format": "#,##0.00"}),
            "integer": workbook.add_format({"num_format": "#,##0"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        }
        Snapshot = self.env["adv.kpi.snapshot"]
        summary = Snapshot.search_read(
            self._snapshot_domain("company"),
            ["month", "as_of_date", *self._summary_fields(), *self._bases(self._summary_fields())],
            order="month",
        )
        self._write_summary(workbook, formats, summary)
        sheet_fields = {name for _t, names, _f in KPI_SHEETS for name in names}
        rows = Snapshot.search_read(
            self._snapshot_domain(self.dimension),
            ["month", "as_of_date", "partner_id", "user_id", *sheet_fields, *self._bases(sheet_fields)],
            order="month, id",
        )
        for title, names, trend in KPI_SHEETS:
            self._write_kpi_sheet(workbook, formats, title, names, rows, summary, trend)
        self._write_detail_sheets(workbook, formats)
        workbook.close()
        return buffer.getvalue()

    def _write_summary(self, workbook, formats, summary):
        sheet = workbook.add_worksheet(self.env._("Summary"))
        sheet.write(0, 0, self.env._("ADV KPIs - %s", self.company_id.name), formats["title"])
        summary_fields = self._summary_fields()
        labels = [self.env._("Month"), *self._labels("adv.kpi.snapshot", ["as_of_date", *summary_fields])]
        sheet.set_column(0, len(labels), 16)
        for col, label in enumerate(labels):
            sheet.write(2, col, label, formats["header"])
        for row_index, row in enumerate(summary, start=3):
            sheet.write_datetime(row_index, 0, row["month"], formats["date"])
            sheet.write_datetime(row_index, 1, row["as_of_date"] or row["month"], formats["date"])
            for col, name in enumerate(summary_fields, start=2):
                self._write_figure(sheet, formats, row_index, col, row, name)
        if summary:
            chart = workbook.add_chart({"type": "line"})
            last = 2 + len(summary)
            for name in ("dso_simple", "dso_best", "billing_delay"):
                col = summary_fields.index(name) + 2
                chart.add_series(
                    {
                        "name": [sheet.name, 2, col],
                        "categories": [sheet.name, 3, 0, last, 0],
                        "values": [sheet.name, 3, col, last, col],
                    }
                )
            chart.set_title({"name": self.env._("DSO and billing delay (days)")})
            sheet.insert_chart(last + 2, 0, chart, {"x_scale": 2, "y_scale": 1.2})

    def _write_kpi_sheet(self, workbook, formats, title, names, rows, summary, trend):
        sheet = workbook.add_worksheet(self._sheet_titles()[title])
        key = "partner_id" if self.dimension == "customer" else "user_id"
        labels = [
            self.env._("Month"),
            *self._labels("adv.kpi.snapshot", ["as_of_date"]),
            dict(self.fields_get(["dimension"])["dimension"]["selection"])[self.dimension],
            *self._labels("adv.kpi.snapshot", names),
        ]
        sheet.set_column(0, len(labels), 16)
        for col, label in enumerate(labels):
            sheet.write(0, col, label, formats["header"])
        for row_index, row in enumerate(rows, start=1):
            sheet.write_datetime(row_index, 0, row["month"], formats["date"])
            sheet.write_datetime(row_index, 1, row["as_of_date"] or row["month"], formats["date"])
            sheet.write(row_index, 2, row[key][1] if row[key] else self.env._("(none)"))
            for col, name in enumerate(names, start=3):
                self._write_figure(sheet, formats, row_index, col, row, name)
        if summary:
            # The trend of the sheet's main figure for the whole company, from the summary sheet.
            summary_fields = self._summary_fields()
            col = summary_fields.index(trend) + 2 if trend in summary_fields else None
            chart = workbook.add_chart({"type": "column" if col is None else "line"})
            summary_name = self.env._("Summary")
            if col is not None:
                chart.add_series(
                    {
                        "name": [summary_name, 2, col],
                        "categories": [summary_name, 3, 0, 2 + len(summary), 0],
                        "values": [summary_name, 3, col, 2 + len(summary), col],
                    }
                )
            else:
                value_col = names.index(trend) + 3
                chart.add_series(
                    {
                        "name": [sheet.name, 0, value_col],
                        "categories": [sheet.name, 1, 2, len(rows), 2],
                        "values": [sheet.name, 1, value_col, len(rows), value_col],
                    }
                )
            chart.set_title({"name": self._labels("adv.kpi.snapshot", [trend])[0]})
            sheet.insert_chart(1, len(labels) + 1, chart)

    def _write_detail_sheets(self, workbook, formats):
        """Sheets after the KPI sheets, with the records behind the figures (bridges add theirs)."""
        if self.include_invoices:
            self._write_invoice_sheet(workbook, formats)

    def _write_invoice_sheet(self, workbook, formats):
        sheet = workbook.add_worksheet(self.env._("Invoices"))
        labels = self._labels("adv.kpi.invoice.report", INVOICE_FIELDS)
        sheet.set_column(0, len(labels), 16)
        for col, label in enumerate(labels):
            sheet.write(0, col, label, formats["header"])
        Report = self.env["adv.kpi.invoice.report"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("invoice_date", ">=", self.date_from.replace(day=1)),
            ("invoice_date", "<", self.date_to.replace(day=1) + relativedelta(months=1)),
        ]
        selection = dict(Report.fields_get(["move_type"])["move_type"]["selection"])
        row_index, offset = 1, 0
        # Chunks keep memory flat; constant_memory writes each row to disk as soon as the next starts.
        while records := Report.search_read(domain, INVOICE_FIELDS, offset=offset, limit=CHUNK, order="id"):
            for record in records:
                self._write_invoice_row(sheet, formats, row_index, record, selection)
                row_index += 1
            offset += CHUNK
            Report.invalidate_model()

    def _write_invoice_row(self, sheet, formats, row_index, record, selection):
        for col, name in enumerate(INVOICE_FIELDS):
            value = record[name]
            if name in ("invoice_date", "reference_date", "invoicing_deadline"):
                if value:
                    sheet.write_datetime(row_index, col, value, formats["date"])
            elif name == "move_type":
                sheet.write(row_index, col, selection.get(value, value))
            elif isinstance(value, tuple | list):
                sheet.write(row_index, col, value[1])
            elif isinstance(value, bool):
                sheet.write_boolean(row_index, col, value)
            else:
                sheet.write_number(row_index, col, value or 0.0, formats["number"])

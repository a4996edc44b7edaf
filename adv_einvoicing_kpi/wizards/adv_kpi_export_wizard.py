from odoo import models

# The e-invoicing sheet: counts, then the ratios they give; the rejection rate is charted.
EINVOICE_SHEET = (
    "einvoice",
    [
        "einvoice_deposited_count",
        "einvoice_rejected_count",
        "einvoice_rejection_rate",
        "einvoice_refused_count",
        "einvoice_refusal_rate",
        "einvoice_approval_time",
        "einvoice_collection_time",
        "einvoice_paid_count",
        "einvoice_declared_count",
        "einvoice_declared_rate",
    ],
    "einvoice_rejection_rate",
)
EINVOICE_SUMMARY_FIELDS = [
    "einvoice_rejection_rate",
    "einvoice_refusal_rate",
    "einvoice_approval_time",
    "einvoice_collection_time",
    "einvoice_declared_rate",
]


class AdvKpiExportWizard(models.TransientModel):
    _inherit = "adv.kpi.export.wizard"

    def _summary_fields(self):
        return super()._summary_fields() + EINVOICE_SUMMARY_FIELDS

    def _sheet_titles(self):
        return dict(super()._sheet_titles(), einvoice=self.env._("E-invoicing"))

    def _write_detail_sheets(self, workbook, formats):
        res = super()._write_detail_sheets(workbook, formats)
        self._write_einvoice_sheet(workbook, formats)
        return res

    def _write_einvoice_sheet(self, workbook, formats):
        """The e-invoicing KPIs by month and the chosen dimension, like the KPI sheets (after the detail
        sheets, so that the sheets of adv_kpi keep their places)."""
        title, names, trend = EINVOICE_SHEET
        Snapshot = self.env["adv.kpi.snapshot"]
        rows = Snapshot.search_read(
            self._snapshot_domain(self.dimension),
            ["month", "as_of_date", "partner_id", "user_id", *names, *self._bases(names)],
            order="month, id",
        )
        summary = Snapshot.search_read(self._snapshot_domain("company"), ["month"], order="month")
        self._write_kpi_sheet(workbook, formats, title, names, rows, summary, trend)

from dateutil.relativedelta import relativedelta

from odoo import models

DELIVERY_FIELDS = ["line_count", "on_time_rate", "in_full_rate", "otif_rate"]
DELIVERY_AGGREGATES = ["line_count:sum", "on_time_rate:avg", "in_full_rate:avg", "otif_rate:avg"]


class AdvKpiExportWizard(models.TransientModel):
    _inherit = "adv.kpi.export.wizard"

    def _write_detail_sheets(self, workbook, formats):
        res = super()._write_detail_sheets(workbook, formats)
        self._write_delivery_sheet(workbook, formats)
        return res

    def _write_delivery_sheet(self, workbook, formats):
        """Delivery OTIF of the company per month (charted), then per month and dimension.

        Rows are written top-down only: the workbook is in constant_memory mode."""
        sheet = workbook.add_worksheet(self.env._("Delivery OTIF"))
        Report = self.env["adv.kpi.delivery.report"]
        key = {"customer": "partner_id", "salesperson": "salesperson_id", "agent": "agent_id"}[self.dimension]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("month", ">=", self.date_from.replace(day=1)),
            ("month", "<", self.date_to.replace(day=1) + relativedelta(months=1)),
        ]
        measures = self._labels("adv.kpi.delivery.report", DELIVERY_FIELDS)
        dimension_label = dict(self.fields_get(["dimension"])["dimension"]["selection"])[self.dimension]
        sheet.set_column(0, len(measures) + 1, 16)
        trend = Report._read_group(domain, ["month:month"], DELIVERY_AGGREGATES, order="month:month")
        self._write_delivery_rows(sheet, formats, 0, [self.env._("Month"), *measures], trend)
        breakdown = Report._read_group(
            domain, ["month:month", key], DELIVERY_AGGREGATES, order=f"month:month, {key}"
        )
        rows = [
            (month, dimension.display_name or self.env._("(none)"), *rest)
            for month, dimension, *rest in breakdown
        ]
        self._write_delivery_rows(
            sheet, formats, len(trend) + 2, [self.env._("Month"), dimension_label, *measures], rows
        )
        if trend:
            chart = workbook.add_chart({"type": "line"})
            chart.add_series(
                {
                    "name": [sheet.name, 0, len(measures)],
                    "categories": [sheet.name, 1, 0, len(trend), 0],
                    "values": [sheet.name, 1, len(measures), len(trend), len(measures)],
                }
            )
            chart.set_title({"name": self.env._("Delivery OTIF")})
            sheet.insert_chart(1, len(measures) + 3, chart)

    def _write_delivery_rows(self, sheet, formats, first_row, labels, rows):
        for col, label in enumerate(labels):
            sheet.write(first_row, col, label, formats["header"])
        for row_index, (month, *values) in enumerate(rows, start=first_row + 1):
            sheet.write_datetime(row_index, 0, month, formats["date"])
            for col, value in enumerate(values, start=1):
                if isinstance(value, str):
                    sheet.write(row_index, col, value)
                else:
                    sheet.write_number(row_index, col, value or 0.0, formats["number"])

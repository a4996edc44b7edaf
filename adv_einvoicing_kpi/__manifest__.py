{
    "name": "ADV: KPIs - E-Invoicing",
    "summary": "E-invoicing lifecycle KPIs (rejections, refusals, approval and collection times, Encaissée "
    "declared) in the ADV KPIs; rejected invoices count as billing errors",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/adv-suite/adv-suite",
    "author": "ADV Suite",
    "license": "LGPL-3",
    "depends": ["adv_einvoicing", "adv_kpi"],
    "auto_install": True,
    "data": [
        "views/adv_kpi_snapshot_views.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
}

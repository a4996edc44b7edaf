{
    "name": "ADV: KPIs - Deliveries",
    "summary": "Delivery OTIF (on time vs commitment date, in full vs ordered quantity) in the ADV KPIs",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/adv-suite/adv-suite",
    "author": "ADV Suite",
    "license": "LGPL-3",
    "depends": ["adv_kpi", "sale_stock"],
    "auto_install": True,
    "data": [
        "security/ir.model.access.csv",
        "security/adv_kpi_stock_security.xml",
        "report/adv_kpi_delivery_report_views.xml",
    ],
}

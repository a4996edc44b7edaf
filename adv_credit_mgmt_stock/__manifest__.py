{
    "name": "ADV: Credit Management - Deliveries",
    "summary": "Refuse deliveries of orders of blocked customers or on credit hold",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/adv-suite/adv-suite",
    "author": "ADV Suite",
    "license": "LGPL-3",
    "depends": ["adv_credit_mgmt", "sale_stock"],
    "auto_install": True,
    "data": [],
}

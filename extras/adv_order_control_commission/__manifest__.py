{
    "name": "ADV: Order Control - Commission Bridge",
    "summary": "OCA commission settlements skip the invoices of orders that are not commissionable yet",
    "version": "18.0.1.0.0",
    "category": "Sales/Commissions",
    "website": "https://github.com/adv-suite/adv-suite",
    "author": "ADV Suite",
    "license": "LGPL-3",
    "depends": ["adv_order_control", "account_commission_oca", "sale_commission_oca"],
    "auto_install": True,
    "data": [],
}

{
    "name": "ADV: E-Invoicing - Invoicing Instructions",
    "summary": "The customer's invoicing instructions that require a PO number make it a mandatory "
    "e-invoicing mention",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/adv-suite/adv-suite",
    "author": "ADV Suite",
    "license": "LGPL-3",
    "depends": ["adv_einvoicing", "adv_billing_close"],
    "auto_install": True,
}

from . import account_invoice_line_agent

from . import (
    test_cdar,
    test_einvoice_cash_forecast,
    test_einvoice_http,
    test_einvoice_http_throttle,
    test_einvoice_import,
    test_einvoice_kanban,
    test_einvoice_mail,
    test_einvoice_mentions,
    test_einvoice_outgoing,
    test_einvoice_reactions,
)

from . import (
    test_collection,
    test_credit_blocks,
    test_credit_concurrency,
    test_credit_controls,
    test_credit_rpc,
    test_credit_tab,
    test_credit_tour,
    test_disputes,
    test_exposure,
    test_receivables,
    test_report_pdf,
)

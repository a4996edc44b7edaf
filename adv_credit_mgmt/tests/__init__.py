from . import (
    test_collection,
    test_collection_queue,
    test_credit_blocks,
    test_credit_concurrency,
    test_credit_controls,
    test_credit_rpc,
    test_credit_tour,
    test_dispute_links,
    test_disputes,
    test_exposure,
    test_receivables,
    test_report_pdf,
)

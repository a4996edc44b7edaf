from . import (
    test_accrual,
    test_accrual_reopen,
    test_billing_period,
    test_billing_tour,
    test_escalation,
    test_invoicing_gate,
    test_period_controls,
    test_preinvoice_board,
    test_rpc_controls,
    test_timesheet_controls,
    test_timesheet_submission,
    test_work_queue,
)
from . import test_reader_language

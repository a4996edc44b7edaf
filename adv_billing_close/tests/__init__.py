from . import (
    test_accrual,
    test_billing_period,
    test_billing_tour,
    test_escalation,
    test_invoicing_gate,
    test_preinvoice_board,
    test_timesheet_submission,
)

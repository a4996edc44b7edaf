from . import (
    test_billing_kpis,
    test_controls,
    test_dashboard_tour,
    test_disputes,
    test_figures,
    test_ratios,
    test_readonly_routes,
    test_signals,
    test_snapshot,
    test_work_queue,
    test_views,
)

from . import test_billing_kpis, test_dashboard_tour, test_disputes, test_signals, test_snapshot

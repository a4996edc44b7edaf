from . import account_move_reversal, adv_kpi_export_wizard, adv_kpi_recompute_wizard

from . import adv_billing_calendar, adv_fae_ageing_report, adv_late_submitter_report

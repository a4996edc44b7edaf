from . import adv_unsigned_deal_report

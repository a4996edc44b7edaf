from . import test_commission_hold

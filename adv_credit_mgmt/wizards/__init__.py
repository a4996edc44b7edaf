from . import adv_credit_release_wizard

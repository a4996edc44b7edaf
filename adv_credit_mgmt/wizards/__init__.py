from . import adv_credit_post_wizard
from . import adv_credit_release_wizard

from . import adv_credit_post_wizard
from . import adv_credit_release_wizard
from . import adv_collection_skip_wizard

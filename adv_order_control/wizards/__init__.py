from . import adv_confirm_wizard
from . import adv_confirm_wizard_line
from . import adv_document_waive_wizard
from . import sale_advance_payment_inv

from . import adv_einvoice_import_wizard

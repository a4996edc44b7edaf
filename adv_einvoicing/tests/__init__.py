from . import test_cdar, test_einvoice_import, test_einvoice_reactions

from . import test_einvoice_po_instruction

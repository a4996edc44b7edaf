from . import test_einvoice_kpis

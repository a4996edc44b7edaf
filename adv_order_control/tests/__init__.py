from . import test_documents
from . import test_confirmation
from . import test_invoicing_gate
from . import test_tour

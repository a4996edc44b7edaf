from . import test_documents
from . import test_confirmation
from . import test_invoicing_gate
from . import test_tour
from . import test_entry_points
from . import test_document_controls
from . import test_settings
from . import test_unsigned_deal_report

from . import commission_make_settle

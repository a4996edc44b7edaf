"""Server-side flows that lift a check for the code they run.

A client chooses its context, so a context key never authorises anything. A flow is marked here, in a
context variable that only Python code running in this request can set: ``with flow(CUSTOMER_CONFIRMATION):``
around the portal's confirmation, then ``in_flow(CUSTOMER_CONFIRMATION)`` where the check is made.
"""

from contextlib import contextmanager
from contextvars import ContextVar

# The customer confirms their own order: portal acceptance, online payment.
CUSTOMER_CONFIRMATION = "customer_confirmation"
# The confirmation wizard has checked the orders and recorded its decisions.
CHECKED_CONFIRMATION = "checked_confirmation"

_ACTIVE = ContextVar("adv_flows", default=frozenset())


@contextmanager
def flow(*names):
    """Mark ``names`` as under way for the code run inside the ``with`` block."""
    token = _ACTIVE.set(_ACTIVE.get() | frozenset(names))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def in_flow(name):
    """Whether the server-side flow ``name`` is under way."""
    return name in _ACTIVE.get()

"""The records the ADV modules pass each other through ``sale.order``'s hooks.

``_adv_confirmation_issues`` returns a list of :class:`ConfirmationIssue`; ``_adv_invoicing_blockers``
returns ``{order id: [InvoicingBlocker]}``. Modules extend those hooks by adding records built here, so
that every module reads the same attributes and a typo in a key fails where the record is made.
"""

from dataclasses import dataclass

SEVERITIES = ("warning", "block")


def _check_severity(record):
    if record.severity not in SEVERITIES:
        raise ValueError(f"{record.code}: severity must be one of {SEVERITIES}, not {record.severity!r}")


@dataclass(frozen=True)
class ConfirmationIssue:
    """A point found on an order about to be confirmed.

    ``severity``: ``warning`` (confirmable with a reason) or ``block`` (only a member of
    ``override_group`` confirms past it). ``provisional``: the order may be confirmed provisionally
    (missing documents). ``amount_over``: the amount beyond a limit, in company currency, for the log.
    """

    order_id: int
    code: str
    message: str
    severity: str = "warning"
    override_group: str | None = None
    provisional: bool = False
    amount_over: float = 0.0

    def __post_init__(self):
        _check_severity(self)


@dataclass(frozen=True)
class InvoicingBlocker:
    """A reason an order cannot (``block``) or should not yet (``warning``) be invoiced.

    ``code`` is the code of an ``adv.blocker.type`` where adv_billing_close is installed; ``label``, the
    short name of that type, in the reader's language, for the type made the first time the code is seen.
    """

    code: str
    message: str
    severity: str = "block"
    label: str = ""

    def __post_init__(self):
        _check_severity(self)

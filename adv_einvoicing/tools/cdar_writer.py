"""Write lifecycle status messages (CDAR) the company issues, in the French profile.

The mirror of ``parse_cdar`` (``cdar.py``): ``write_cdar`` takes the same normalised dict that the parser
returns and writes one *CrossDomainAcknowledgementAndResponse* file acknowledging one invoice, so that
``parse_cdar(write_cdar(payload))`` gives back ``[payload]`` (the round trip is tested). Paths written::

    ExchangedDocumentContext/...Parameter/ID                 REGULATED, urn.cpro.gouv.fr:1p0:CDV:invoice
    ExchangedDocument/ID, Name, IssueDateTime                message identifier and date (format 204)
    ExchangedDocument/SenderTradeParty                       our SIREN (scheme 0002), role code SE (seller)
    AcknowledgementDocument/TypeCode 305, IssueDateTime      date of the status
    AcknowledgementDocument/SenderTradeParty/RoleCode        SE: the status is the seller's
    AcknowledgementDocument/ReferenceReferencedDocument/
        IssuerAssignedID, TypeCode (380/381), FormattedIssueDateTime   invoice number, type and date
        ProcessConditionCode, ProcessCondition               status code and its French label
        IssuerTradeParty/GlobalID[@schemeID='0002']          seller SIREN
        SpecifiedDocumentStatus/ReasonCode, Reason           reason (e.g. the resolution of a dispute)
        SpecifiedDocumentStatus/SpecifiedDocumentCharacteristic
            TypeCode MEN (amount collected) or MPA, ValueAmount         amount, two decimals
            ValueDateTime (format 102)                                 expected payment date, when given
"""

from lxml import etree

RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
GUIDELINE = "urn.cpro.gouv.fr:1p0:CDV:invoice"
SELLER_ROLE = "SE"
COLLECTED = "212"
# French labels of the statuses the seller issues (ProcessCondition is informative, the code decides).
LABELS = {"209": "Complétée", "212": "Encaissée"}


def _sub(parent, namespace, name, text=None, **attributes):
    node = etree.SubElement(parent, f"{{{namespace}}}{name}", **attributes)
    if text is not None:
        node.text = text
    return node


def _datetime(parent, name, value, namespace=RAM, value_namespace=UDT, fmt="204"):
    holder = _sub(parent, namespace, name)
    pattern = "%Y%m%d%H%M%S" if fmt == "204" else "%Y%m%d"
    _sub(holder, value_namespace, "DateTimeString", value.strftime(pattern), format=fmt)


def _party(parent, name, siren, role):
    party = _sub(parent, RAM, name)
    if siren:
        _sub(party, RAM, "GlobalID", siren, schemeID="0002")
    _sub(party, RAM, "RoleCode", role)


def write_cdar(payload, invoice_date=None, invoice_type="380", label=None):
    """CDAR file (``bytes``, UTF-8) of one status the seller issues about one invoice.

    ``payload`` is a dict as ``parse_cdar`` returns it: ``message_id``, ``invoice_number``, ``siren`` (the
    seller's), ``code``, ``date`` (``datetime``, to the second), ``reason_code``, ``reason_text``,
    ``amount`` (or None), ``expected_date`` (``date`` or None); its ``issuer`` must be the seller (the
    only statuses a company writes).
    ``invoice_date`` (``date``) and ``invoice_type`` (380 invoice, 381 credit note) describe the invoice,
    ``label`` overrides the French label of the code. ``ValueError`` when a mandatory value is missing."""
    for key in ("message_id", "invoice_number", "code", "date"):
        if not payload.get(key):
            raise ValueError(f"A status message needs {key}.")
    if payload.get("issuer") not in (None, "seller"):
        raise ValueError("The company writes only the statuses it issues as the seller.")
    siren = payload.get("siren") or ""
    date = payload["date"].replace(microsecond=0)
    root = etree.Element(f"{{{RSM}}}CrossDomainAcknowledgementAndResponse", nsmap=NSMAP)
    context = _sub(root, RSM, "ExchangedDocumentContext")
    _sub(_sub(context, RAM, "BusinessProcessSpecifiedDocumentContextParameter"), RAM, "ID", "REGULATED")
    _sub(_sub(context, RAM, "GuidelineSpecifiedDocumentContextParameter"), RAM, "ID", GUIDELINE)

    exchanged = _sub(root, RSM, "ExchangedDocument")
    _sub(exchanged, RAM, "ID", payload["message_id"])
    _sub(exchanged, RAM, "Name", "Statut de cycle de vie")
    _datetime(exchanged, "IssueDateTime", date)
    _party(exchanged, "SenderTradeParty", siren, SELLER_ROLE)

    acknowledgement = _sub(root, RSM, "AcknowledgementDocument")
    _sub(_sub(acknowledgement, RAM, "MultipleReferencesIndicator"), UDT, "Indicator", "false")
    _sub(acknowledgement, RAM, "TypeCode", "305")
    _datetime(acknowledgement, "IssueDateTime", date)
    _party(acknowledgement, "SenderTradeParty", siren, SELLER_ROLE)

    document = _sub(acknowledgement, RAM, "ReferenceReferencedDocument")
    _sub(document, RAM, "IssuerAssignedID", payload["invoice_number"])
    _sub(document, RAM, "TypeCode", invoice_type)
    if invoice_date:
        _datetime(document, "FormattedIssueDateTime", invoice_date, value_namespace=QDT, fmt="102")
    _sub(document, RAM, "ProcessConditionCode", payload["code"])
    _sub(document, RAM, "ProcessCondition", label or LABELS.get(payload["code"], payload["code"]))
    if siren:
        _sub(_sub(document, RAM, "IssuerTradeParty"), RAM, "GlobalID", siren, schemeID="0002")
    reason_code, reason_text = payload.get("reason_code"), payload.get("reason_text")
    amount, expected = payload.get("amount"), payload.get("expected_date")
    if reason_code or reason_text or amount is not None or expected:
        status = _sub(document, RAM, "SpecifiedDocumentStatus")
        if reason_code:
            _sub(status, RAM, "ReasonCode", reason_code)
        if reason_text:
            _sub(status, RAM, "Reason", reason_text)
        if amount is not None:
            characteristic = _sub(status, RAM, "SpecifiedDocumentCharacteristic")
            _sub(characteristic, RAM, "TypeCode", "MEN" if payload["code"] == COLLECTED else "MPA")
            _sub(characteristic, RAM, "ValueAmount", f"{amount:.2f}")
        if expected:
            _datetime(
                _sub(status, RAM, "SpecifiedDocumentCharacteristic"), "ValueDateTime", expected, fmt="102"
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

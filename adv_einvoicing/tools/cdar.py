"""Read lifecycle status messages (CDAR) of the French e-invoicing reform.

A status message is a UN/CEFACT *CrossDomainAcknowledgementAndResponse* (D22B) document in the French
profile of the external specifications. ``parse_cdar`` turns one file into the normalised dicts that
``adv.einvoice.status._receive`` takes, whatever channel brought the file (upload, mail, HTTP).

Paths read (``rsm:`` root, ``ram:`` elements; prefixes vary between platforms, so elements are matched
on their local name inside the UN/CEFACT namespaces)::

    ExchangedDocument/ID                                     message identifier (idempotency key)
    ExchangedDocument/IssueDateTime/DateTimeString           date of the message
    AcknowledgementDocument/IssueDateTime/DateTimeString     date of the status (else the message's)
    AcknowledgementDocument/ReferenceReferencedDocument/
        IssuerAssignedID                                     invoice number
        ProcessConditionCode                                 status code (200..213)
        IssuerTradeParty/GlobalID[@schemeID='0002']          seller SIREN (or SpecifiedLegalOrganization/ID)
        SpecifiedDocumentStatus/ReasonCode, Reason           reason of a rejection, refusal, dispute...
        SpecifiedDocumentStatus/SpecifiedDocumentCharacteristic/ValueAmount
                                                             amount (partial approval, collection)
        SpecifiedDocumentStatus/SpecifiedDocumentCharacteristic/ValueDateTime/DateTimeString
                                                             expected payment date (Approuvée,
                                                             Paiement transmis), optional
    AcknowledgementDocument/SenderTradeParty/RoleCode        who issued the status (platform, buyer, seller)

One file may acknowledge several invoices (several ``ReferenceReferencedDocument``): each gives one dict,
its message identifier suffixed with its position so that each stays idempotent on its own.
"""

from datetime import datetime

from lxml import etree

ROOT = "CrossDomainAcknowledgementAndResponse"
NAMESPACE_PREFIX = "urn:un:unece:uncefact:data:standard:"
# Role codes (UNTDID 3035) of the party sending the status in the French profile.
ROLE_ISSUERS = {
    "WK": "platform",
    "DFH": "platform",
    "BY": "buyer",
    "DL": "buyer",
    "SE": "seller",
    "II": "seller",
}


def _children(node, name):
    return [
        child
        for child in node
        if isinstance(child.tag, str)
        and etree.QName(child).localname == name
        and (etree.QName(child).namespace or "").startswith(NAMESPACE_PREFIX)
    ]


def _child(node, *path):
    for name in path:
        if node is None:
            return None
        found = _children(node, name)
        node = found[0] if found else None
    return node


def _text(node, *path):
    found = _child(node, *path)
    return (found.text or "").strip() if found is not None else ""


def _date(node):
    """A UN/CEFACT DateTimeString (format 102: YYYYMMDD, 203: YYYYMMDDHHMM, 204: YYYYMMDDHHMMSS)."""
    string = _child(node, "DateTimeString")
    if string is None:
        return None
    value = (string.text or "").strip()
    formats = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}
    fmt = formats.get(string.get("format") or "", None)
    for candidate in [fmt] if fmt else formats.values():
        try:
            return datetime.strptime(value, candidate)
        except ValueError:
            continue
    raise ValueError(f"Unreadable date {value!r} (format {string.get('format')!r}).")


def _amount(status):
    for characteristic in _children(status, "SpecifiedDocumentCharacteristic") if status is not None else []:
        value = _text(characteristic, "ValueAmount")
        if value:
            try:
                return float(value)
            except ValueError as error:
                raise ValueError(f"Unreadable amount {value!r}.") from error
    return None


def _expected_date(status):
    for characteristic in _children(status, "SpecifiedDocumentCharacteristic") if status is not None else []:
        value = _child(characteristic, "ValueDateTime")
        if value is not None:
            found = _date(value)
            if found:
                return found.date()
    return None


def _siren(document):
    party = _child(document, "IssuerTradeParty")
    if party is None:
        return ""
    for global_id in _children(party, "GlobalID"):
        if global_id.get("schemeID") in ("0002", None):
            return (global_id.text or "").strip()
    return _text(party, "SpecifiedLegalOrganization", "ID")


def parse_cdar(content):
    """Normalised status dicts of one CDAR file (``bytes``); ``ValueError`` saying what is wrong otherwise."""
    if not content:
        raise ValueError("The file is empty.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"Not a well-formed XML file: {error}") from error
    if etree.QName(root).localname != ROOT:
        raise ValueError(f"Not a CDAR status message: the root element is {etree.QName(root).localname}.")
    exchanged = _child(root, "ExchangedDocument")
    message_id = _text(exchanged, "ID")
    if not message_id:
        raise ValueError("The message has no identifier (ExchangedDocument/ID).")
    message_date = _date(_child(exchanged, "IssueDateTime")) if exchanged is not None else None
    payloads = []
    for acknowledgement in _children(root, "AcknowledgementDocument"):
        date = _date(_child(acknowledgement, "IssueDateTime")) or message_date
        role = _text(acknowledgement, "SenderTradeParty", "RoleCode") or _text(
            exchanged, "SenderTradeParty", "RoleCode"
        )
        for document in _children(acknowledgement, "ReferenceReferencedDocument"):
            status = _child(document, "SpecifiedDocumentStatus")
            payloads.append(
                {
                    "message_id": message_id,
                    "invoice_number": _text(document, "IssuerAssignedID"),
                    "siren": _siren(document),
                    "code": _text(document, "ProcessConditionCode"),
                    "date": date,
                    "issuer": ROLE_ISSUERS.get(role),
                    "reason_code": _text(status, "ReasonCode") if status is not None else "",
                    "reason_text": _text(status, "Reason") if status is not None else "",
                    "amount": _amount(status),
                    "expected_date": _expected_date(status),
                }
            )
    if not payloads:
        raise ValueError(
            "The message acknowledges no invoice (AcknowledgementDocument/ReferenceReferencedDocument)."
        )
    if len(payloads) > 1:
        for index, payload in enumerate(payloads, start=1):
            payload["message_id"] = f"{message_id}#{index}"
    return payloads

from datetime import date, datetime

from lxml import etree

from odoo.tests import BaseCase, tagged

from ..tools import parse_cdar, write_cdar
from ..tools.cdar_writer import RAM
from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestCdar(BaseCase):
    def _parse(self, name):
        return parse_cdar(AdvEinvoiceCommon._sample(name))

    def test_refusal_fields(self):
        (payload,) = self._parse("cdar_210_refused.xml")
        self.assertEqual(payload["message_id"], "CDV-BY-20260908-0001")
        self.assertEqual(payload["invoice_number"], "ADVE/2026/00003")
        self.assertEqual(payload["siren"], "123456789")
        self.assertEqual(payload["code"], "210")
        self.assertEqual(payload["issuer"], "buyer")
        self.assertEqual(payload["reason_code"], "REF_CT")
        self.assertEqual(payload["reason_text"], "Bon de commande absent ou erroné")
        self.assertEqual(payload["amount"], 300.0)
        self.assertEqual(str(payload["date"]), "2026-09-08 16:00:00")

    def test_several_invoices_in_one_message(self):
        payloads = self._parse("cdar_202_received_two_invoices.xml")
        self.assertEqual([p["invoice_number"] for p in payloads], ["ADVE/2026/00001", "ADVE/2026/00002"])
        self.assertEqual(
            len({p["message_id"] for p in payloads}), 2, "each acknowledgement keeps its own key"
        )

    def test_other_prefixes(self):
        content = self._parse_bytes_with_prefixes()
        (payload,) = parse_cdar(content)
        self.assertEqual(payload["code"], "213")
        self.assertEqual(payload["reason_code"], "REJ_SEMAN")

    def _parse_bytes_with_prefixes(self):
        text = AdvEinvoiceCommon._sample("cdar_213_rejected.xml").decode()
        return (
            text.replace("ram:", "a:")
            .replace("xmlns:ram=", "xmlns:a=")
            .replace("rsm:", "r:")
            .replace("xmlns:rsm=", "xmlns:r=")
            .encode()
        )

    def test_malformed(self):
        with self.assertRaisesRegex(ValueError, "well-formed"):
            self._parse("cdar_malformed.xml")
        with self.assertRaisesRegex(ValueError, "not a CDAR|Not a CDAR"):
            parse_cdar(b"<Invoice/>")
        with self.assertRaisesRegex(ValueError, "empty"):
            parse_cdar(b"")


@tagged("post_install", "-at_install")
class TestCdarWriter(BaseCase):
    PAYLOAD = {
        "message_id": "CDV-SE-123456789-0001",
        "invoice_number": "ADVE/2026/00001",
        "siren": "123456789",
        "code": "212",
        "date": datetime(2026, 9, 20, 8, 30, 15),
        "issuer": "seller",
        "reason_code": "",
        "reason_text": "",
        "amount": 400.5,
        "expected_date": None,
    }

    def test_round_trip(self):
        self.assertEqual(parse_cdar(write_cdar(self.PAYLOAD, invoice_date=date(2026, 9, 1))), [self.PAYLOAD])
        answer = dict(self.PAYLOAD, code="209", amount=None, reason_code="R1", reason_text="Avoir émis: 30 €")
        self.assertEqual(parse_cdar(write_cdar(answer)), [answer])
        announced = dict(self.PAYLOAD, code="209", amount=None, expected_date=date(2026, 10, 5))
        self.assertEqual(parse_cdar(write_cdar(announced)), [announced])

    def test_french_profile(self):
        root = etree.fromstring(write_cdar(self.PAYLOAD))
        ns = {"ram": RAM}
        self.assertEqual(
            root.xpath("//ram:SenderTradeParty/ram:RoleCode/text()", namespaces=ns), ["SE", "SE"]
        )
        self.assertEqual(root.xpath("//ram:ProcessCondition/text()", namespaces=ns), ["Encaissée"])
        self.assertEqual(
            root.xpath("//ram:SpecifiedDocumentCharacteristic/ram:TypeCode/text()", namespaces=ns), ["MEN"]
        )
        self.assertEqual(root.xpath("//ram:IssuerTradeParty/ram:GlobalID/@schemeID", namespaces=ns), ["0002"])

    def test_refuses_incomplete_or_foreign(self):
        with self.assertRaisesRegex(ValueError, "invoice_number"):
            write_cdar(dict(self.PAYLOAD, invoice_number=""))
        with self.assertRaisesRegex(ValueError, "seller"):
            write_cdar(dict(self.PAYLOAD, issuer="buyer"))

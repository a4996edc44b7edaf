import json

from odoo.tests import HttpCase, tagged

from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceHttp(AdvEinvoiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platform = cls.env["adv.einvoice.platform"].create(
            {"name": "PA Exemple", "token": "s3cret-token"}
        )

    def _post(self, body, token="s3cret-token", platform=None, content_type="application/xml"):
        url = f"/adv/einvoicing/{(platform or self.platform).id}/status"
        headers = {"Content-Type": content_type, "Authorization": f"Bearer {token}"}
        return self.url_open(url, data=body, headers=headers)

    def test_token_is_stored_hashed(self):
        self.assertNotIn("s3cret-token", self.platform.sudo().token_hash)
        self.assertTrue(self.platform._check_token("s3cret-token"))
        self.assertFalse(self.platform._check_token("s3cret-tokeN"))

    def test_push_then_replay(self):
        response = self._post(self._sample("cdar_200_deposited.xml"))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["results"][0]["state"], "done")
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["200"])
        self.assertEqual(self.inv1.adv_einvoice_status_ids.attachment_id.res_model, "adv.einvoice.platform")
        response = self._post(self._sample("cdar_200_deposited.xml"))
        self.assertEqual(response.status_code, 409, response.text)
        self.assertEqual(len(self.inv1.adv_einvoice_status_ids), 1)

    def test_bad_token_or_platform(self):
        self.assertEqual(self._post(self._sample("cdar_200_deposited.xml"), token="wrong").status_code, 401)
        other = self.env["adv.einvoice.platform"].create({"name": "No token"})
        self.assertEqual(self._post(self._sample("cdar_200_deposited.xml"), platform=other).status_code, 401)
        self.assertFalse(self.inv1.adv_einvoice_status_ids)

    def test_json_form(self):
        body = json.dumps(
            {
                "statuses": [
                    {
                        "message_id": "JSON-1",
                        "invoice_number": self.inv3.name,
                        "code": "210",
                        "date": "2026-09-08 16:00:00",
                        "reason_text": "Commande annulée",
                        "amount": 200.0,
                    }
                ]
            }
        )
        response = self._post(body, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.inv3.adv_einvoice_status_id, self.code["210"])
        self.assertEqual(self.inv3.adv_dispute_ids.amount_disputed, 200.0)
        response = self._post("{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)

    def test_malformed_unknown_and_oversized(self):
        response = self._post(self._sample("cdar_malformed.xml"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be read", response.json()["results"][0]["error"])
        response = self._post(self._sample("cdar_unknown_invoice.xml"))
        self.assertEqual(response.status_code, 400)
        response = self._post(b"<a>" + b"x" * (1024 * 1024) + b"</a>")
        self.assertEqual(response.status_code, 400)
        self.assertIn("between", response.json()["error"])

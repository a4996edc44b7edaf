from odoo.tests import HttpCase, tagged

from ..models.adv_einvoice_auth_failure import AUTH_FAILURE_LIMIT
from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceHttpThrottle(AdvEinvoiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platform = cls.env["adv.einvoice.platform"].create(
            {"name": "PA Exemple", "token": "s3cret-token"}
        )

    def _post(self, platform_id, token):
        return self.url_open(
            f"/adv/einvoicing/{platform_id}/status",
            data=self._sample("cdar_200_deposited.xml"),
            headers={"Content-Type": "application/xml", "Authorization": f"Bearer {token}"},
        )

    def test_wrong_tokens_are_throttled_per_platform(self):
        for _i in range(AUTH_FAILURE_LIMIT):
            self.assertEqual(self._post(self.platform.id, "guess").status_code, 401)
        # Guessing stops: even the right token waits for the minute to pass.
        response = self._post(self.platform.id, "s3cret-token")
        self.assertEqual(response.status_code, 429, response.text)
        self.assertFalse(self.inv1.adv_einvoice_status_ids)
        # Per platform: another platform is not held back.
        other = self.env["adv.einvoice.platform"].create({"name": "PA Autre", "token": "other-token"})
        self.assertEqual(self._post(other.id, "other-token").status_code, 200)

    def test_unknown_platform_answers_like_a_wrong_token(self):
        unknown_id = self.env["adv.einvoice.platform"].search([], order="id desc", limit=1).id + 1000
        wrong = self._post(self.platform.id, "guess")
        unknown = self._post(unknown_id, "guess")
        self.assertEqual((unknown.status_code, unknown.json()), (wrong.status_code, wrong.json()))
        for _i in range(AUTH_FAILURE_LIMIT - 1):
            self._post(unknown_id, "guess")
        self.assertEqual(self._post(unknown_id, "guess").status_code, 429)
        self.assertEqual(self._post(self.platform.id, "s3cret-token").status_code, 200)

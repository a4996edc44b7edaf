from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AdvOrderControlCommon


@tagged("post_install", "-at_install")
class TestSettingsInput(AdvOrderControlCommon):
    """Bad settings are refused with a message that says what to enter."""

    def _check(self, code):
        return (
            self.env["adv.conformity.check"]
            .with_context(active_test=False)
            .search([("code", "=", code), ("company_id", "=", self.company.id)])
        )

    def test_percentage_threshold_above_100(self):
        self.env["adv.conformity.check"].sudo()._ensure_company_checks(self.company)
        admin = self.env.ref("base.user_admin")
        for code in ("discount_above", "price_below_pricelist"):
            with self.subTest(code=code):
                form = Form(self._check(code).with_user(admin))
                form.threshold = 150.0
                with self.assertRaisesText(ValidationError, "from 0 to 100"):
                    form.save()
        # The amount check's threshold is an amount, not a percentage.
        self._check("amount_above").with_user(admin).threshold = 150_000.0
        self._check("discount_above").with_user(admin).threshold = 100.0

    def test_negative_company_delays(self):
        admin = self.env.ref("base.user_admin")
        for fname in ("adv_regularisation_days", "adv_escalation_days"):
            with self.subTest(field=fname):
                form = Form(self.env["res.config.settings"].with_user(admin))
                setattr(form, fname, -3)
                with self.assertRaisesText(ValidationError, "cannot be negative"):
                    form.save().execute()
                self.assertGreaterEqual(self.company[fname], 0)
        self.company.adv_escalation_days = 0

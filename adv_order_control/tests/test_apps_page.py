import base64
import os

from lxml import html

from odoo.modules.module import get_module_path, get_modules
from odoo.tests import TransactionCase, tagged
from odoo.tools.image import base64_to_image
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestAppsPage(TransactionCase):
    """Every module of the suite on the addons path shows a drawn icon and a description page whose
    pictures exist, as Apps reads them (``ir.module.module``'s ``icon_image`` and ``description_html``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        repo = os.path.dirname(get_module_path("adv_order_control"))
        names = [
            n for n in get_modules() if n.startswith("adv_") and os.path.dirname(get_module_path(n)) == repo
        ]
        cls.names = set(names)
        cls.modules = cls.env["ir.module.module"].search([("name", "in", names)])

    def test_suite_is_listed(self):
        self.assertTrue(
            {"adv_order_control", "adv_billing_close", "adv_credit_mgmt", "adv_kpi"} <= self.names
        )
        self.assertEqual(set(self.modules.mapped("name")), self.names)

    def test_icon_is_drawn(self):
        for module in self.modules:
            with self.subTest(module=module.name):
                # The placeholder was a 306-byte flat square.
                self.assertGreater(len(base64.b64decode(module.icon_image)), 2048)
                image = base64_to_image(module.icon_image).convert("RGBA")
                self.assertGreaterEqual(min(image.size), 100)
                self.assertEqual(image.size[0], image.size[1])
                colors = image.getcolors(maxcolors=1 << 16)  # None: more than that
                self.assertTrue(colors is None or len(colors) > 32, "a drawing, not a flat square")

    def test_description_shows_pictures_that_exist(self):
        for module in self.modules:
            with self.subTest(module=module.name):
                self.assertIn("oe_slogan", module.description_html)
                sources = html.fromstring(str(module.description_html)).xpath("//img/@src")
                prefix = f"/{module.name}/static/description/"
                self.assertTrue(sources)
                for src in sources:
                    self.assertTrue(src.startswith(prefix), src)
                    self.assertLess(os.path.getsize(file_path(src.lstrip("/"))), 300 * 1024, src)
                shots = {src.removeprefix(prefix) for src in sources if "screenshot_" in src}
                if not module.auto_install:
                    # A module a user installs shows its screens; a bridge shows its icon.
                    self.assertTrue(shots)
                folder = os.path.join(get_module_path(module.name), "static", "description")
                on_disk = {f for f in os.listdir(folder) if f.startswith("screenshot_")}
                self.assertEqual(on_disk, shots, "every screenshot is shown, every one shown is there")

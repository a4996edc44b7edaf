from odoo.tests import HttpCase, tagged

from .common import AdvEinvoiceCommon


@tagged("post_install", "-at_install")
class TestEinvoiceKanban(AdvEinvoiceCommon, HttpCase):
    def _columns(self):
        groups = self.env["account.move"].web_read_group(
            [("id", "in", self.invoices.ids)], ["adv_einvoice_status_id"], ["adv_einvoice_status_id"]
        )["groups"]
        return {
            self.env["adv.einvoice.status.code"].browse(g["adv_einvoice_status_id"][0]).code: g
            for g in groups
            if g["adv_einvoice_status_id"]
        }

    def test_rare_empty_statuses_folded(self):
        columns = self._columns()
        self.assertEqual(len(columns), 14, "every status has its column")
        self.assertTrue(columns["208"]["__fold"], "a rare status without invoices is folded")
        self.assertFalse(columns["200"]["__fold"], "a usual status stays open, even empty")
        self.inv1._adv_einvoice_receive_status({"message_id": "K-208", "code": "208"})
        self.assertFalse(self._columns()["208"]["__fold"], "a rare status with invoices opens")

    def test_upload_wizard_and_kanban_in_the_browser(self):
        self.start_tour("/odoo", "adv_einvoice_import_tour", login=self.adv_user.login)
        self.assertEqual(self.inv1.adv_einvoice_status_id, self.code["205"])
        log = self.env["adv.einvoice.import.log"].search([("message_id", "=", "CDV-TOUR-0001")])
        self.assertEqual((log.state, log.move_id, log.create_uid), ("done", self.inv1, self.adv_user))

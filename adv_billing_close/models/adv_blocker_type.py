from odoo import api, fields, models


class AdvBlockerType(models.Model):
    _name = "adv.blocker.type"
    _description = "Pre-invoice Blocker Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    owner_role = fields.Selection(
        [
            ("salesperson", "Salesperson"),
            ("project_manager", "Project Manager"),
            ("adv_manager", "ADV Manager"),
            ("finance", "Finance"),
        ],
        string="Escalation Owner",
        required=True,
        default="adv_manager",
        help="Who owns an unbilled item stopped by this reason when it escalates.",
    )

    _sql_constraints = [("code_uniq", "unique(code)", "A blocker code must be unique.")]

    @api.model
    def _get_by_codes(self, codes, labels=None):
        """{code: blocker type}; codes coming from other modules' hooks get a type on the fly, named in
        every installed language from ``labels`` ({lang: {code: label}}, the blockers' own labels)."""
        labels = labels or {}
        types = self.search([("code", "in", list(codes))])
        by_code = {blocker.code: blocker for blocker in types}
        missing = [code for code in codes if code not in by_code]
        if missing:

            def label(code, lang):
                return labels.get(lang, {}).get(code) or code.replace("_", " ").capitalize()

            created = (
                self.sudo()
                .with_context(lang="en_US")
                .create([{"code": code, "name": label(code, "en_US")} for code in missing])
            )
            for lang in set(labels) - {"en_US"}:
                for blocker in created:
                    blocker.with_context(lang=lang).name = label(blocker.code, lang)
            by_code.update({blocker.code: blocker.with_env(self.env) for blocker in created})
        return by_code

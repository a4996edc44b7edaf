from . import models
from . import report
from . import tools
from . import wizards


def post_init_hook(env):
    """Every existing company gets its conformity checks, all switched off."""
    env["adv.conformity.check"]._ensure_company_checks(env["res.company"].search([]))

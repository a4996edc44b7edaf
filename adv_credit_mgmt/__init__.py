from . import models, report, tools, wizards


def post_init_hook(env):
    env["adv.credit.exposure"]._install_triggers()


def uninstall_hook(env):
    env["adv.credit.exposure"]._uninstall_triggers()

from . import models, report, wizards
from .models import receivable_marks


def post_init_hook(env):
    receivable_marks.install(env.cr)


def uninstall_hook(env):
    receivable_marks.uninstall(env.cr)

from odoo.tools.sql import column_exists, create_column

from . import controllers, models, tools, wizards


def pre_init_hook(env):
    """Create the invoice's status columns empty: no existing invoice has a status yet, so Odoo need not
    compute them for every journal entry of the database at install."""
    columns = (
        ("adv_einvoice_status_id", "int4"),
        ("adv_einvoice_rejected", "bool"),
        ("adv_operation_category", "varchar"),
    )
    for column, kind in columns:
        if not column_exists(env.cr, "account_move", column):
            create_column(env.cr, "account_move", column, kind)


def uninstall_hook(env):
    """The lifecycle history goes before its status codes: Odoo deletes the module's data (the codes) before
    dropping its tables, and a code still referenced by a status may not be deleted."""
    env.cr.execute("DELETE FROM adv_einvoice_status")

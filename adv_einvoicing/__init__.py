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

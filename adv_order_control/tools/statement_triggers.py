"""Statement-level triggers with transition tables: the suite's set-based caches (credit exposure, KPI change
marks) are kept by PostgreSQL so that imports, SQL scripts and other modules' raw writes are seen too."""

from odoo.tools import SQL

TRANSITION_TABLES = {
    "INSERT": "NEW TABLE AS adv_new",
    "UPDATE": "NEW TABLE AS adv_new OLD TABLE AS adv_old",
    "DELETE": "OLD TABLE AS adv_old",
}


def create_statement_triggers(cr, table, function, events=tuple(TRANSITION_TABLES)):
    """(Re)create, for each of ``events``, an AFTER ... FOR EACH STATEMENT trigger on ``table`` named
    ``<function>_<event>`` that calls ``function()``, which reads the rows as ``adv_new`` / ``adv_old``."""
    for event in events:
        name = SQL.identifier(f"{function}_{event.lower()}")
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", name, SQL.identifier(table)))
        cr.execute(
            SQL(
                "CREATE TRIGGER %s AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                name,
                SQL(event),
                SQL.identifier(table),
                SQL(TRANSITION_TABLES[event]),
                SQL.identifier(function),
            )
        )

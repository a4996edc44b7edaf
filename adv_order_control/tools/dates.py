"""Today's date of a company in SQL views and triggers.

Odoo's database connections run in UTC, so ``CURRENT_DATE`` is yesterday for a French company between
midnight and 1 or 2 a.m., while the screens (``fields.Date.context_today``) already show today: an item due
yesterday would be overdue in Python and not yet due in SQL. The company's day follows the time zone of its
partner (UTC when none is set), the one a French company sets to Europe/Paris.
"""

from odoo.tools import SQL


def local_today_sql(tz):
    """SQL date of today in the time zone ``tz`` (an SQL expression, NULL or empty meaning UTC)."""
    return SQL("(now() AT TIME ZONE COALESCE(NULLIF(%s, ''), 'UTC'))::date", tz)


def company_today_sql(company_id):
    """SQL date of today for the company whose id is the SQL expression ``company_id``.

    One lookup per row: over many rows, join the company's partner and use :func:`local_today_sql`."""
    return SQL(
        "(SELECT %s FROM res_company adv_c JOIN res_partner adv_p ON adv_p.id = adv_c.partner_id"
        " WHERE adv_c.id = %s)",
        local_today_sql(SQL("adv_p.tz")),
        company_id,
    )

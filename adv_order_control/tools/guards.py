"""Fields that record a control's outcome: written by the flow that owns them, not by any user."""

from odoo.exceptions import AccessError


def check_owned_fields(records, vals, owners, creating=False):
    """Refuse ``vals`` on ``records`` where it sets a field of ``owners`` that the user does not own.

    ``owners`` maps a field name to the xmlid of the group allowed to write it directly, or to ``None``
    when only the owning flow may (it writes as superuser, after its own group check). At ``create``,
    empty values and the field's own default pass: the web client sends the defaults of the fields it
    shows (the field's default, never a ``default_*`` key of the context, which the client chooses). At
    ``write``, a value the records already hold passes: Odoo's own flows (partner merge, forms saving
    every field) write back what is there.
    """
    env = records.env
    if env.su:
        return
    denied = []
    for fname, group in owners.items():
        if fname not in vals:
            continue
        if (
            _is_default(records, fname, vals[fname])
            if creating
            else _is_unchanged(records, fname, vals[fname])
        ):
            continue
        if group is None or not env.user.has_group(group):
            denied.append(fname)
    if denied:
        labels = ", ".join(records._fields[f]._description_string(env) for f in denied)
        raise AccessError(
            env._(
                "You cannot set %(fields)s on %(model)s: these are decided by their own action (button or "
                "wizard) and by the team in charge of it.",
                fields=labels,
                model=records._description,
            )
        )


def _is_default(records, fname, value):
    field = records._fields[fname]
    return not value or (field.default is not None and value == field.default(records.browse()))


def _is_unchanged(records, fname, value):
    field = records._fields[fname]
    if field.type in ("one2many", "many2many"):
        return False
    new = field.convert_to_cache(value, records)
    # Read as superuser: the field may be hidden from the user by its groups (the write then fails there).
    return all(field.convert_to_cache(record[fname], record) == new for record in records.sudo())

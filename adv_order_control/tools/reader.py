"""Text the suite writes for someone else is written in that person's language.

An activity, a chatter note or a reason stored on a record is read by its assignee (or the customer),
not by whoever runs the code: a French ADV user gets French text from an English salesperson's action
or from a cron running as OdooBot. ``self.env._`` translates in the environment's language, so give
it the reader's environment::

    reader_env(self.env, user)._("Provisional order past its deadline")

``_`` takes the module to translate from its caller: the text is looked up in the calling module's
i18n, as with ``self.env._``.
"""


def reader_env(env, reader):
    """``env`` writing in the language of ``reader`` (``res.users`` or ``res.partner``, may be empty).

    Without a reader (or a reader without a language), the environment's own language is kept.
    """
    lang = reader[:1].lang
    if not lang or lang == env.lang:
        return env
    return env(context=dict(env.context, lang=lang))

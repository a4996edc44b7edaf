"""Scheduled actions that commit their progress, and stay transactional everywhere else.

A daily job run by Odoo's cron worker processes one unit (a company, a batch) at a time and commits it with
the cron progress API, so that a fault loses one unit, not the run, and a crash is resumed by the next call
(Odoo calls the job again at once while it reports work remaining). The same method called from a user's
request or from a test must leave the caller's transaction alone: nothing is committed there.
"""

import threading

# Keys of the transaction-level advisory locks taken by the suite's jobs: (namespace, company id).
ADVISORY_NAMESPACE = {
    "adv_credit_reminders": 74_210_001,
    "adv_kpi_snapshots": 74_210_002,
    "adv_einvoice_declarations": 74_210_013,
}


def in_cron_run(env):
    """Whether ``env`` runs a scheduled action that may commit its progress.

    Odoo 18 puts ``ir_cron_progress_id`` in the context of a job it runs (cron worker or "Run Manually");
    a request or a test calling the method has none. Test threads (``testing``) never commit, as in Odoo's
    own jobs (e.g. ``mail.mail.process_email_queue``).
    """
    return bool(env.context.get("ir_cron_progress_id")) and not getattr(
        threading.current_thread(), "testing", False
    )


def commit_progress(env, done, remaining):
    """Report progress to the cron runner and commit the unit just done (cron runs only)."""
    if not in_cron_run(env):
        return
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    env.cr.commit()  # pylint: disable=invalid-commit


def try_company_lock(env, namespace, company_id):
    """Take the transaction-level advisory lock of ``namespace`` for ``company_id`` without waiting.

    False when another transaction (a second worker, a user's click) holds it: that transaction is doing
    this company's work now. Released at the end of the transaction (commit of the unit)."""
    env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE[namespace], company_id])
    return env.cr.fetchone()[0]

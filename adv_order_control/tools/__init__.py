from .cron import commit_progress, in_cron_run, try_company_lock
from .dates import company_today_sql, local_today_sql
from .flows import CHECKED_CONFIRMATION, CUSTOMER_CONFIRMATION, flow, in_flow
from .guards import check_owned_fields
from .issues import ConfirmationIssue, InvoicingBlocker
from .reader import reader_env
from .statement_triggers import create_statement_triggers

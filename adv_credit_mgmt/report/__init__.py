from . import adv_cash_forecast
from . import adv_statement_report

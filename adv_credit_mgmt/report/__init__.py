from . import adv_cash_forecast

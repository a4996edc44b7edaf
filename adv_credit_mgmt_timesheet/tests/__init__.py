from . import test_timesheet_block

"""The test command's reading of Odoo's logs: what fails a run, and which tour it may retry once."""

import importlib.util
import pathlib

import pytest

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "setup" / "adv.py"
SUMMARY = "2026-12-01 20:59:59,000 1 INFO db odoo.tests.stats: 0 failed, 0 error(s) of 12 tests when loading"
FAILED_SUMMARY = (
    "2026-12-01 20:59:59,000 1 ERROR db odoo.tests.result: 1 failed, 0 error(s) of 12 tests when loading"
)


def _failed(module, traceback_call):
    return (
        f"2026-12-01 20:59:50,000 1 ERROR db odoo.addons.{module}.tests.test_ui: FAIL: TestUi.test_01_tour\n"
        "Traceback (most recent call last):\n"
        f'    self.{traceback_call}("/odoo", "sale_tour", login="admin")\n'
        "AssertionError: TIMEOUT step failed to complete within 10000 ms."
    )


LATE = (
    "2026-12-01 20:59:53,129 1 ERROR db odoo.addons.{module}.tests.test_ui.TestUi.test_04_tour.browser: "
    "Error received after termination: TypeError: Failed to fetch"
)


@pytest.fixture(scope="module")
def adv():
    spec = importlib.util.spec_from_file_location("adv_setup", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _log(tmp_path, *lines):
    path = tmp_path / "test.log"
    path.write_text("\n".join([*lines, SUMMARY]) + "\n", encoding="utf-8")
    return str(path)


def test_late_error_of_odoo_tour_is_kept_to_retry(adv, tmp_path):
    result = adv._odoo_results(_log(tmp_path, LATE.format(module="sale_management")), tolerate_late=True)
    assert result.late == ["/sale_management:TestUi.test_04_tour"]
    assert (result.passed, result.failed) == (12, 1), "a failure until the retry is clean"


def test_late_error_of_our_own_tour_is_not_retried(adv, tmp_path):
    result = adv._odoo_results(_log(tmp_path, LATE.format(module="adv_kpi")), tolerate_late=True)
    assert (result.failed, result.late) == (1, [])


def test_other_error_beside_a_late_one_is_not_retried(adv, tmp_path):
    other = "2026-12-01 20:59:54,000 1 ERROR db odoo.addons.sale.models.sale_order: boom"
    result = adv._odoo_results(_log(tmp_path, LATE.format(module="sale"), other), tolerate_late=True)
    assert (result.failed, result.late) == (1, [])


def test_suite_tests_never_tolerate_late_errors(adv, tmp_path):
    result = adv._odoo_results(_log(tmp_path, LATE.format(module="sale")))
    assert (result.failed, result.late) == (1, [])


def test_clean_log_passes(adv, tmp_path):
    result = adv._odoo_results(_log(tmp_path), tolerate_late=True)
    assert (result.passed, result.failed, result.late) == (12, 0, [])


def _failed_log(tmp_path, *lines):
    path = tmp_path / "failed.log"
    path.write_text("\n".join([*lines, FAILED_SUMMARY]) + "\n", encoding="utf-8")
    return str(path)


def test_odoo_tour_failing_in_the_browser_is_kept_to_retry(adv, tmp_path):
    log = _failed_log(tmp_path, _failed("sale_management", "start_tour"), LATE.format(module="sale"))
    result = adv._odoo_results(log, tolerate_late=True)
    assert result.late == ["/sale:TestUi.test_04_tour", "/sale_management:TestUi.test_01_tour"]
    assert (result.passed, result.failed) == (11, 1)


def test_failure_outside_a_tour_is_not_retried(adv, tmp_path):
    log = _failed_log(tmp_path, _failed("sale", "assertEqual"))
    result = adv._odoo_results(log, tolerate_late=True)
    assert (result.failed, result.late) == (1, [])


def test_our_own_tour_failing_is_not_retried(adv, tmp_path):
    log = _failed_log(tmp_path, _failed("adv_order_control", "start_tour"))
    result = adv._odoo_results(log, tolerate_late=True)
    assert (result.failed, result.late) == (1, [])


def _starting(module, test):
    return f"2026-12-01 20:59:40,000 1 INFO db odoo.addons.{module}.tests.test_ui: Starting {test} ..."


HTTP_ERROR = "2026-12-01 20:59:45,000 1 ERROR ? odoo.http: Exception during request handling."


def test_request_error_during_the_failed_tour_is_the_tours(adv, tmp_path):
    log = _failed_log(
        tmp_path,
        _starting("sale_management", "TestUi.test_01_tour"),
        HTTP_ERROR,
        _failed("sale_management", "start_tour"),
    )
    result = adv._odoo_results(log, tolerate_late=True)
    assert result.late == ["/sale_management:TestUi.test_01_tour"]


def test_request_error_during_another_odoo_test_reruns_that_one_too(adv, tmp_path):
    log = _failed_log(
        tmp_path,
        _starting("sale", "TestSaleOrder.test_other"),
        HTTP_ERROR,
        _starting("sale_management", "TestUi.test_01_tour"),
        _failed("sale_management", "start_tour"),
    )
    result = adv._odoo_results(log, tolerate_late=True)
    assert result.late == ["/sale:TestSaleOrder.test_other", "/sale_management:TestUi.test_01_tour"]


def test_request_error_during_a_passing_odoo_tour_reruns_it(adv, tmp_path):
    log = _log(tmp_path, _starting("sale_management", "TestUi.test_01_tour"), HTTP_ERROR)
    result = adv._odoo_results(log, tolerate_late=True)
    assert result.late == ["/sale_management:TestUi.test_01_tour"]
    assert result.failed == 1, "a failure until the rerun is clean"


def test_request_error_during_our_own_test_is_final(adv, tmp_path):
    log = _log(tmp_path, _starting("adv_order_control", "TestTour.test_tour"), HTTP_ERROR)
    result = adv._odoo_results(log, tolerate_late=True)
    assert (result.failed, result.late) == (1, [])

"""The figures the reliability tests proved (tests/reliability/observe.py `report`), listed
once at the end of the run.

A plugin of the root conftest: under pytest-xdist, workers run the tests and the controller
prints the summary, so each test's lines travel with its report from one to the other.
"""

from collections.abc import Iterator

import pytest

from tests.reliability.observe import REPORTED

FIGURES = "figures"
SHOWN: list[str] = []  # in the process that prints the summary


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    # Before the phase's report is made from the item: each report copies the item's
    # user_properties, so the teardown report carries the lines of every phase.
    item.user_properties.extend((FIGURES, line) for line in REPORTED)
    REPORTED.clear()
    yield


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "teardown":
        SHOWN.extend(line for name, line in report.user_properties if name == FIGURES)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SHOWN:
        terminalreporter.section("reliability figures")
        for line in SHOWN:
            terminalreporter.write_line(line)

"""The figures the reliability tests proved, listed once at the end of the run."""

import pytest

from tests.reliability.observe import REPORTED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORTED:
        terminalreporter.section("reliability figures")
        for line in REPORTED:
            terminalreporter.write_line(line)

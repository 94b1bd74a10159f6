"""What the reliability tests look at: rows in every table, log records, Slack calls.

Each test states the figure it proves ("inputs generated", "5xx seen", ...) through `report`,
so `pytest -s` on these files prints the numbers the closing note of a release quotes.
"""

import logging
from collections.abc import Iterable

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from tests.support.harness import Harness

# Tables a refused or replayed request may touch: the memory of applied requests, Slack event
# ids, and the people Tandem met (a stranger's name is looked up to answer them).
BOOKKEEPING = {"applied_request", "processed_event", "person", "workspace"}


def row_counts(tandem: Harness, skip: Iterable[str] = ()) -> dict[str, int]:
    """How many rows each table holds now."""
    skipped = set(skip)
    with tandem.session() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
            if table.name not in skipped
        }


def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Every ERROR (or worse) logged so far, from any thread."""
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged so far, messages and tracebacks, as one text to search."""
    handler_text = caplog.text
    return handler_text + "\n".join(r.getMessage() for r in caplog.records)


# Lines `report` printed in this process, not yet attached to a test report
# (tests/support/figures.py repeats them at the end of the run).
REPORTED: list[str] = []


def report(title: str, **figures: object) -> None:
    """Print one line of figures (shown with `pytest -s`, in the captured output, and in the
    summary at the end of the run)."""
    shown = ", ".join(f"{name.replace('_', ' ')}={value}" for name, value in figures.items())
    REPORTED.append(f"{title}: {shown}")
    print(f"\n[figures] {title}: {shown}")

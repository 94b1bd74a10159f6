"""Counting the SQL statements a piece of code runs, for tests that guard cost in statements."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def statements_on(engine: Engine) -> Iterator[list[str]]:
    """While open, the list holds the statements this thread ran on `engine`.

    Only the calling thread counts: the harness delivers in the background like production,
    and the sender's statements on the same engine are not the cost under test. Transaction
    control (BEGIN, COMMIT, savepoints) is left out; it follows the driver, not our queries.
    """
    seen: list[str] = []
    thread = threading.get_ident()

    def count(conn: object, cursor: object, statement: str, *_: object) -> None:
        if threading.get_ident() != thread:
            return
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)

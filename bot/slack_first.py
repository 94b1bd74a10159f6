"""Slack's requests first: what is not Slack's (metrics, calendar feeds) starts only once no
Slack request is being answered, or after a short wait at most.

Slack gives an acknowledgement 3 seconds and a person is looking at the screen meanwhile; a
calendar app or Prometheus waits for nobody. Both are answered in one interpreter, so a feed
built (a few milliseconds of Python) while a command is being answered stretches that
command by as much. With a client asking for feeds and metrics as often as its budget allows,
one command in twenty met one, and Slack's slowest acknowledgements grew by a third
(`bench abuse`). A request that is not Slack's still waits at most `patience`, so that on a
busy launch morning Prometheus is answered all the same, and at most `most_waiting` wait at
once: a waiting request holds one of the server's threads, which Slack's requests need more.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

PATIENCE = 0.5  # seconds; Prometheus gives a scrape 10 by default
MOST_WAITING = 2  # requests; more go ahead at once


class SlackFirst:
    """Counts the Slack requests being answered; others wait for none to be."""

    def __init__(self, patience: float = PATIENCE, most_waiting: int = MOST_WAITING) -> None:
        self.patience, self.most_waiting = patience, most_waiting
        self._quiet = threading.Condition()
        self._answering = 0
        self._waiting = 0

    @contextmanager
    def answering_slack(self) -> Iterator[None]:
        """Around the answer to one Slack request."""
        with self._quiet:
            self._answering += 1
        try:
            yield
        finally:
            with self._quiet:
                self._answering -= 1
                if not self._answering:
                    self._quiet.notify_all()

    def wait_for_slack(self) -> bool:
        """Block until no Slack request is being answered (True), or `patience` seconds have
        passed (False); return at once (False) when `most_waiting` requests already wait."""
        with self._quiet:
            if self._waiting >= self.most_waiting:
                return not self._answering
            self._waiting += 1
            try:
                return self._quiet.wait_for(lambda: not self._answering, timeout=self.patience)
            finally:
                self._waiting -= 1

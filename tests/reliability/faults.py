"""What the fault tests share: a fan-out to deliver, `tandem run-due` and `tandem serve` as
processes, a PostgreSQL server the test may restart, and the figures each fault proves.

Delivered means posted in the emulated Slack, counted by the outbox key each message carries
in its metadata: a key posted twice is a duplicate, an expected key never posted is lost.
"""

import os
import shlex
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from devkit.emulator import Call, Response, SlackDriver, SlackEmulator
from storage.models import AgendaItem, OutboxMessage, OutboxStatus
from tests.reliability.observe import report
from tests.support.databases import RESTARTABLE_POSTGRES_ENV, restartable_postgres_admin_url
from tests.support.fanout import posted_keys
from tests.support.harness import ADMIN, BOT_TOKEN, SIGNING_SECRET, Harness
from tests.support.processes import TANDEM, clean_environment, free_port, wait_healthy

# The 1-day reminders of Monday 9 March 10:00 Berlin (every pair meets weekly at that time).
DAY_BEFORE = datetime.fromisoformat("2026-03-08T09:00:00+00:00")
ADDED = "Added to the agenda"


def reminder_posted(call: Call) -> bool:
    """A meeting reminder reaching Slack (what the fan-outs here are made of)."""
    return call.method == "chat.postMessage" and "reminder" in str(call.args.get("metadata"))


def server_errors_seen(emulator: SlackEmulator) -> int:
    """5xx answers the emulated Slack gave (injected)."""
    return sum(1 for call in emulator.calls() if call.status >= 500)


def rate_limited_seen(emulator: SlackEmulator) -> int:
    return sum(1 for call in emulator.calls() if call.status == 429)


def outbox(tandem: Harness) -> list[OutboxMessage]:
    with tandem.session() as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def sent_keys(tandem: Harness) -> set[str]:
    return {row.key for row in outbox(tandem) if row.status == OutboxStatus.SENT}


def next_due(tandem: Harness) -> datetime | None:
    """When the outbox next has work: a pending row's time, or a dead sender's lease."""
    times = [
        row.deliver_after if row.status == OutboxStatus.PENDING else row.lease_until
        for row in outbox(tandem)
        if row.status in (OutboxStatus.PENDING, OutboxStatus.SENDING)
    ]
    return min((t for t in times if t is not None), default=None)


@dataclass
class Delivery:
    """Messages expected, delivered (posted at least once) and duplicated (posted again)."""

    expected: int
    delivered: int
    duplicated: int
    lost: list[str]
    unexpected: list[str]

    def figures(self) -> dict[str, int]:
        return {
            "expected": self.expected,
            "delivered": self.delivered,
            "duplicated": self.duplicated,
        }


def delivery(tandem: Harness, already_sent: set[str]) -> Delivery:
    """Every outbox row queued since `already_sent`, against what Slack received."""
    expected = {row.key for row in outbox(tandem)} - already_sent
    counts = posted_keys(tandem.emulator)
    return Delivery(
        expected=len(expected),
        delivered=sum(1 for key in expected if counts[key] >= 1),
        duplicated=sum(n - 1 for n in counts.values() if n > 1),
        lost=sorted(key for key in expected if counts[key] == 0),
        unexpected=sorted(set(counts) - expected - already_sent),
    )


def assert_exactly_once(fault: str, database_url: str, result: Delivery, **more: int) -> None:
    """Every expected message delivered once, none twice, nothing foreign; prints the figures."""
    figures = {**result.figures(), **more}
    report(f"fault: {fault} [{backend(database_url)}]", **figures)
    assert (result.lost, result.duplicated, result.unexpected) == ([], 0, []), figures
    assert result.delivered == result.expected, figures


def backend(database_url: str) -> str:
    return "postgres" if database_url.startswith("postgres") else "sqlite"


# -- processes ----------------------------------------------------------------------------


def tandem_env(database_url: str, emulator: SlackEmulator, **extra: str) -> dict[str, str]:
    """The settings a deployment of Tandem against the emulated Slack has."""
    return clean_environment(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=emulator.url,
        TANDEM_ADMINS=ADMIN,
        TANDEM_AUTO_MIGRATE="false",
        **extra,
    )


def run_due(
    database_url: str, emulator: SlackEmulator, now: datetime, cwd: Path
) -> subprocess.Popen:
    """`tandem run-due --now NOW` started (not waited for)."""
    return subprocess.Popen(
        [TANDEM, "run-due", "--now", now.isoformat()],
        cwd=cwd,
        env=tandem_env(database_url, emulator),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


@dataclass
class Served:
    """A `tandem serve` process on a fixed port (so it can be restarted at the same address)."""

    database_url: str
    emulator: SlackEmulator
    cwd: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [TANDEM, "serve", "--host", "127.0.0.1"],
            cwd=self.cwd,
            env=tandem_env(self.database_url, self.emulator, PORT=str(self.port)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_healthy(f"{self.base}/healthz", self.process)

    def terminate(self, timeout: float = 20) -> tuple[int, str]:
        """SIGTERM, as a deployment's stop does; (exit code, what it logged)."""
        assert self.process is not None
        self.process.terminate()
        _, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, err

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=10)


# -- traffic ------------------------------------------------------------------------------


@dataclass
class Answer:
    """One `/tandem agenda <text>` as the person saw it (status None: no answer at all)."""

    text: str
    status: int | None
    said: str


class AgendaTraffic:
    """Threads adding uniquely named agenda items over signed HTTP until stopped."""

    def __init__(self, url: str, emulator: SlackEmulator, user: str, threads: int = 3) -> None:
        self._url, self._emulator, self._user = url, emulator, user
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.answers: list[Answer] = []
        self._acked = threading.Condition(self._lock)

    def __enter__(self) -> "AgendaTraffic":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def _run(self, n: int) -> None:
        driver = SlackDriver(self._url, SIGNING_SECRET, self._emulator, timeout=15)
        sequence = 0
        while not self._stop.is_set():
            sequence += 1
            text = f"fault-item-{n}-{sequence}"
            try:
                response: Response | None = driver.command(self._user, f"agenda {text}")
            except OSError:  # nobody listening (stopped, restarting): Slack shows a timeout
                response = None
            said = ""
            if response is not None and isinstance(response.json, dict):
                said = str(response.json.get("text", ""))
            answer = Answer(text, response.status if response else None, said)
            if ADDED not in said:
                self._stop.wait(0.1)  # a person told to try again waits a moment
            with self._acked:
                self.answers.append(answer)
                self._acked.notify_all()

    def saved(self) -> list[Answer]:
        """Answers that told the person their item was added."""
        with self._lock:
            return [a for a in self.answers if a.status == 200 and ADDED in a.said]

    def wait_saved(self, count: int, timeout: float = 60) -> None:
        """Block until `count` items in all were acknowledged as added."""
        with self._acked:
            ok = self._acked.wait_for(
                lambda: (
                    sum(1 for a in self.answers if a.status == 200 and ADDED in a.said) >= count
                ),
                timeout,
            )
        assert ok, f"only {len(self.saved())} of {count} agenda items acknowledged"


def agenda_texts(tandem: Harness) -> Counter[str]:
    with tandem.session() as session:
        return Counter(session.exec(select(AgendaItem.text)).all())


# -- PostgreSQL under the test's control --------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    """The restartable PostgreSQL server .ci/with-postgres started: stop, start, restart."""

    pg_ctl: str
    data: str
    log: str
    run_as: tuple[str, ...]

    def _ctl(self, *args: str) -> None:
        command = [*self.run_as, self.pg_ctl, "-D", self.data, "-w", *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        """A fast shutdown: sessions are cut off, open transactions rolled back."""
        self._ctl("-m", "fast", "stop")

    def start(self) -> None:
        self._ctl("-l", self.log, "start")

    @contextmanager
    def down(self) -> Iterator[None]:
        """The server is stopped inside the block, and running again after it."""
        self.stop()
        try:
            yield
        finally:
            self.start()


PG_CONTROL_ENV = ("TANDEM_TEST_PG_CTL", "TANDEM_TEST_PG_DATA", "TANDEM_TEST_PG_LOG")


def postgres_server(database_url: str) -> PostgresServer:
    """The server behind `database_url`, or skip (fail under CI) if the test may not restart
    it: the restart variables and that server come from .ci/with-postgres.

    Only the server no other test uses may be restarted (the test is marked restarts_postgres,
    which gives it a database there): the suite's own serves the tests running beside it.
    """
    if not database_url.startswith("postgres"):
        pytest.skip("a server restart is PostgreSQL's fault (SQLite is a file in the process)")
    missing = [name for name in PG_CONTROL_ENV if not os.environ.get(name)]
    restartable = restartable_postgres_admin_url()
    if missing or restartable is None:
        unset = missing or [RESTARTABLE_POSTGRES_ENV]
        why = f"cannot restart PostgreSQL: {', '.join(unset)} unset (use .ci/with-postgres)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    if make_url(database_url).port != make_url(restartable).port:
        pytest.fail("this test restarts PostgreSQL: mark it restarts_postgres (tests/conftest.py)")
    return PostgresServer(
        pg_ctl=os.environ["TANDEM_TEST_PG_CTL"],
        data=os.environ["TANDEM_TEST_PG_DATA"],
        log=os.environ["TANDEM_TEST_PG_LOG"],
        run_as=tuple(shlex.split(os.environ.get("TANDEM_TEST_PG_RUN_AS", ""))),
    )

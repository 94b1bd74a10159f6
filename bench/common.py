"""Shared benchmark plumbing: a running emulator + Tandem, timing, and the table format."""

import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.app import build_app, build_tandem
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import Tandem
from bot.web import BackgroundServer, TandemWSGI
from devkit.emulator import SlackEmulator
from storage.db import normalise_database_url

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
TEAM = "TBENCH"


@dataclass
class Latency:
    """Summary of one series of timed calls, in milliseconds."""

    label: str
    samples: list[float]
    wall_seconds: float

    def row(self) -> str:
        """One markdown table row."""
        s = sorted(self.samples)
        p = lambda q: s[min(len(s) - 1, int(q * len(s)))]  # noqa: E731
        rate = len(s) / self.wall_seconds if self.wall_seconds else 0
        return (
            f"| {self.label} | {len(s)} | {statistics.median(s):.1f} | {p(0.95):.1f} | "
            f"{p(0.99):.1f} | {rate:.0f}/s |"
        )


LATENCY_HEADER = "| what | n | p50 ms | p95 ms | p99 ms | throughput |\n|---|---|---|---|---|---|"


def timed(label: str, calls: int, concurrency: int, call: Callable[[], None]) -> Latency:
    """Run `call` `calls` times over `concurrency` threads; per-call latency and wall time."""
    samples: list[float] = []
    lock = threading.Lock()
    per_thread = calls // concurrency

    def worker() -> None:
        for _ in range(per_thread):
            start = time.perf_counter()
            call()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                samples.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Latency(label, samples, time.perf_counter() - start)


def settings(database_url: str, emulator: SlackEmulator) -> Settings:
    """Settings for a benchmark run against the emulator."""
    return Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        database_url=database_url,
        slack_api_url=emulator.url,
    )


@contextmanager
def emulator() -> Iterator[SlackEmulator]:
    """A started emulator."""
    slack = SlackEmulator(team_id=TEAM, token=TOKEN)
    slack.start()
    try:
        yield slack
    finally:
        slack.stop()


@contextmanager
def sqlite_url() -> Iterator[str]:
    """A fresh SQLite file URL."""
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{Path(directory) / 'bench.db'}"


@contextmanager
def running_tandem(
    database_url: str, slack: SlackEmulator, clock: FrozenClock | None = None
) -> Iterator[tuple[Tandem, str]]:
    """Tandem serving HTTP (migrated database); yields (ctx, events URL)."""
    ctx = build_tandem(settings(database_url, slack), clock=clock, migrate=True)
    server = BackgroundServer(TandemWSGI(build_app(ctx), ctx)).start()
    try:
        yield ctx, server.url
    finally:
        server.stop()
        ctx.engine.dispose()


def postgres_database(admin_url: str) -> str:
    """A fresh, empty PostgreSQL database on the server `admin_url` names; returns its URL."""
    name = f"tandem_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return (
        make_url(normalise_database_url(admin_url))
        .set(database=name)
        .render_as_string(hide_password=False)
    )

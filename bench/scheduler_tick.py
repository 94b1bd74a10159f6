"""How long the scheduler tick (`run_due`) takes for a programme of 400 active pairs.

Three ticks on a FrozenClock: go-live (everything that became due at once: series
announcements, reminders, feedback prompts, reviews, giving back, anniversaries, streaks),
an idle tick a minute later, and a tick after three days of downtime, run twice to show each
thing is queued and posted once. Wall time includes delivery to the emulator. A second table
breaks each tick down by producer, with the SQL statements each one ran.
"""

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from bench.common import TEAM, emulator, postgres_database, settings, sqlite_url
from bench.programme import seed_programme
from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.context import Tandem
from bot.scheduler import TickReport, run_due
from devkit.emulator import SlackEmulator
from storage.models import OutboxMessage

PAIRS = 400
GO_LIVE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@dataclass
class Tick:
    """One measured tick."""

    label: str
    seconds: float
    queries: int
    report: TickReport
    posts: int

    def row(self, backend: str) -> str:
        """One markdown table row."""
        d = self.report.delivery
        return (
            f"| {backend} | {self.label} | {self.seconds * 1000:.0f} | {self.queries} | "
            f"{self.report.queued} | {d.sent} | {self.posts} | {d.held} | {d.folded} | "
            f"{d.expired} | {d.deferred} | {d.failed} |"
        )


HEADER = (
    "| database | tick | wall ms | SQL statements | queued | sent | chat.postMessage | held "
    "(quiet hours) | folded (daily cap) | expired | deferred | failed |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


class Statements:
    """Counts the SQL statements an engine runs."""

    def __init__(self, ctx: Tandem) -> None:
        self.count = 0
        event.listen(ctx.engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: object) -> None:
        self.count += 1


def _posted_keys(slack: SlackEmulator) -> list[str]:
    keys = []
    for call in slack.calls("chat.postMessage"):
        metadata = call.args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        if metadata:
            keys.append(metadata["event_payload"]["key"])
    return keys


def _tick(ctx: Tandem, slack: SlackEmulator, sql: Statements, label: str, at: datetime) -> Tick:
    ctx.clock.set(at)  # type: ignore[attr-defined]
    before_posts, before_sql = len(slack.calls("chat.postMessage")), sql.count
    start = time.perf_counter()
    report = run_due(ctx, at)
    seconds = time.perf_counter() - start
    assert not report.failed_producers, report.failed_producers
    posts = len(slack.calls("chat.postMessage")) - before_posts
    return Tick(label, seconds, sql.count - before_sql, report, posts)


@contextmanager
def producers_timed(ctx: Tandem, sql: Statements) -> Iterator[list[tuple[str, float, int, int]]]:
    """While open, each producer is timed (the list fills with (name, ms, statements, queued))."""
    rows: list[tuple[str, float, int, int]] = []
    original = ctx.parts

    def wrap(producer: Callable) -> Callable:  # type: ignore[type-arg]
        def timed(ctx: Tandem, session, now: datetime) -> int:  # type: ignore[no-untyped-def]
            before, start = sql.count, time.perf_counter()
            queued = producer(ctx, session, now)
            session.flush()  # so the producer's writes count as its own
            ms = (time.perf_counter() - start) * 1000
            rows.append((producer.__qualname__, ms, sql.count - before, queued))
            return queued

        return timed

    ctx.parts = replace(original, producers=tuple(wrap(p) for p in original.producers))
    try:
        yield rows
    finally:
        ctx.parts = original


def _outbox_keys(ctx: Tandem) -> list[str]:
    with ctx.session() as session:
        return list(session.execute(select(OutboxMessage.key)).scalars())


def _duplicates(slack: SlackEmulator) -> int:
    return sum(n - 1 for n in Counter(_posted_keys(slack)).values() if n > 1)


def _producer_rows(backend: str, rows: list[tuple[str, float, int, int]], ticks: int) -> list[str]:
    """One line per producer; a cell per tick: ms / SQL statements / queued."""
    per_tick = len(rows) // ticks
    lines = []
    for n in range(per_tick):
        cells = [rows[t * per_tick + n] for t in range(ticks)]
        shown = " | ".join(f"{ms:.0f} / {q} / {c}" for _, ms, q, c in cells)
        lines.append(f"| {backend} | {cells[0][0]} | {shown} |")
    return lines


def measure(url: str, slack: SlackEmulator) -> tuple[list[str], list[str], str]:
    """Seed, tick three ways; (tick rows, producer rows, seeding summary)."""
    clock = FrozenClock(GO_LIVE)
    ctx = build_tandem(settings(url, slack), clock=clock, migrate=True)
    backend = make_url(url).get_backend_name()
    start = time.perf_counter()
    seeded = seed_programme(ctx, slack, TEAM, PAIRS, GO_LIVE)
    seed_seconds = time.perf_counter() - start
    with ctx.session() as session:
        waiting = session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
    slack.clear_calls()
    sql = Statements(ctx)
    back = GO_LIVE + timedelta(days=3, minutes=2)
    with producers_timed(ctx, sql) as producers:
        ticks = [
            _tick(ctx, slack, sql, "(a) go-live: lots due", GO_LIVE),
            _tick(ctx, slack, sql, "(b) 1 min later", GO_LIVE + timedelta(minutes=1)),
            _tick(ctx, slack, sql, "(b) idle, 2 min later", GO_LIVE + timedelta(minutes=2)),
            _tick(ctx, slack, sql, "(c) after 3 days down", back),
        ]
        before = set(_outbox_keys(ctx))
        ticks.append(_tick(ctx, slack, sql, "(c) same instant again", back))
    again = sorted(set(_outbox_keys(ctx)) - before)
    keys = _outbox_keys(ctx)
    assert len(keys) == len(set(keys)), "duplicate outbox keys"
    duplicates = _duplicates(slack)
    assert duplicates == 0, f"{duplicates} messages posted twice"
    ctx.engine.dispose()
    summary = (
        f"{backend}: seeded {seeded.pairs} pairs, {seeded.people} people, {seeded.goals} goals "
        f"with 3 milestones, {seeded.met_meetings} past meetings in {seed_seconds:.1f} s "
        f"({waiting} series announcements waiting in the outbox); outbox rows after all "
        f"ticks: {len(keys)}, each key once; posts with a repeated key: {duplicates}; "
        f"new keys queued by repeating tick (c) at the same instant: {len(again)} "
        f"{Counter(k.split(':')[0] for k in again).most_common()} e.g. {again[:3]}"
    )
    return (
        [t.row(backend) for t in ticks],
        _producer_rows(backend, producers, len(ticks)),
        summary,
    )


def main() -> None:
    """Print the tables and how to reproduce them."""
    results = []
    with emulator() as slack:
        with sqlite_url() as url:
            results.append(measure(url, slack))
        admin_url = os.environ.get("TANDEM_TEST_POSTGRES_URL")
        if admin_url:
            results.append(measure(postgres_database(admin_url), slack))
    print(f"## Scheduler tick, {PAIRS} active pairs (run_due, delivery to the emulator included)\n")
    print(HEADER)
    for ticks, _, _ in results:
        print("\n".join(ticks))
    if not os.environ.get("TANDEM_TEST_POSTGRES_URL"):
        print("| postgresql | - | - | - | - | - | - | - | - | - | - | (no server) |")
    print()
    for _, _, summary in results:
        print(f"- {summary}")
    print("\n### Each tick by producer: ms / SQL statements / messages queued\n")
    print(
        "| database | producer | (a) go-live | (b) 1 min later | (b) idle, 2 min later "
        "| (c) after 3 days down | (c) again |\n|---|---|---|---|---|---|---|"
    )
    for _, producers, _ in results:
        print("\n".join(producers))
    print("\nReproduce: .ci/with-postgres .venv/bin/python -m bench scheduler_tick\n")


if __name__ == "__main__":
    main()

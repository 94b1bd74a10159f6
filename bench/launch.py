"""`python -m bench launch`: launch day. N proposals (default 500) accepted by both sides
within a minute, over signed HTTP, against an emulator enforcing Slack's rate limits.

An admin has proposed N pairs (their DMs are posted before the limits are turned on). Then the
2N people click Accept, `--concurrency` at a time (default 20), in a shuffled order, while a
background sender delivers what the clicks queue, as `tandem serve` does. Slack's tiers are
on (devkit/emulator/ratelimit.py): `conversations.open` is Tier 3, at most 50 calls in any
minute, so opening N group DMs takes about N/50 minutes; after the clicks, the clock and
Slack's limits move on a minute at a time (`SlackEmulator.pass_time`), each minute followed by
`run_due`, until every pair has its home and its welcome.

Printed per database: the time each click took to be acknowledged (the HTTP answer Slack
waits for; p50, p99, the worst), pairs active, group DMs opened (and the most opened in any
60 s of Slack's clock), welcomes posted, the Slack calls refused with 429 by method, and what
was lost (an accepted pair with no home or no welcome) or duplicated (two welcomes in a pair's
home, one home shared by two pairs).
"""

import argparse
import os
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from queue import Empty, Queue

from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import select

from bench.common import SECRET, TEAM, TOKEN, postgres_database, sqlite_url
from bot.app import build_app, build_tandem
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import Tandem
from bot.core.people import ensure_person
from bot.core.results import Refused
from bot.delivery.sender import deliver_due
from bot.pairs.blocks import ACCEPT_ACTION
from bot.pairs.service import propose_people
from bot.scheduler import DeliveryWorker, run_due
from bot.web import BackgroundServer, TandemWSGI
from devkit.demo.blocks import actions_in
from devkit.emulator import RateLimits, SlackDriver, SlackEmulator
from storage.models import OutboxMessage, OutboxStatus, Pair, PairStatus

PAIRS = 500
CONCURRENCY = 20
ADMIN = "ULAUNCHADM"
# A Monday at noon in UTC, where everyone lives: quiet hours hold nothing back.
NOON = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
MOST_MINUTES = 60  # simulated minutes to wait for every home (500 pairs need about 10)
TIER_3_PER_MINUTE = 50


@dataclass
class Figures:
    """What one launch measured."""

    database: str
    pairs: int
    clicks: int
    concurrency: int
    ack_ms: list[float]
    clicks_seconds: float
    active: int = 0
    homes: int = 0
    distinct_homes: int = 0
    welcomes: int = 0
    lost: int = 0
    duplicated: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    opens: int = 0
    most_opens_a_minute: int = 0
    minutes_to_homes: int = 0
    homes_at_clicks: int = 0  # group DMs open when the last click had been answered
    failed_clicks: int = 0

    def quantile(self, q: float) -> float:
        """The `q` quantile of the acknowledgement times (ms)."""
        ordered = sorted(self.ack_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _people(slack: SlackEmulator, pairs: int) -> list[tuple[str, str]]:
    slack.add_user(ADMIN, "launcher", tz="UTC", real_name="Launcher", is_admin=True)
    couples = []
    for n in range(pairs):
        mentor, mentee = f"UMR{n:05d}", f"UME{n:05d}"
        slack.add_user(mentor, f"mentor{n}", tz="UTC", real_name=f"Mentor {n}")
        slack.add_user(mentee, f"mentee{n}", tz="UTC", real_name=f"Mentee {n}")
        couples.append((mentor, mentee))
    return couples


def _propose(ctx: Tandem, couples: list[tuple[str, str]]) -> None:
    """The admin proposes every pair; the proposals are posted (before any limit is on)."""
    client = ctx.client(TEAM)
    with ctx.session() as session:
        admin = ensure_person(session, client, TEAM, ADMIN, NOON)
        for mentor, mentee in couples:
            proposed = propose_people(session, client, TEAM, admin, mentor, mentee, NOON)  # type: ignore[arg-type]
            if isinstance(proposed, Refused):
                raise RuntimeError(f"could not propose {mentor} and {mentee}: {proposed.message}")
    deliver_due(ctx)


def _clicks(slack: SlackEmulator, couples: list[tuple[str, str]], seed: int) -> list[tuple]:
    """Every Accept button in front of someone, shuffled (both sides of a pair at any time)."""
    clicks = []
    for couple in couples:
        for user in couple:
            [proposal] = [
                m for m in slack.messages(user) if ACCEPT_ACTION in actions_in(m["blocks"])
            ]
            clicks.append((user, proposal))
    random.Random(seed).shuffle(clicks)
    return clicks


def _click_all(driver: SlackDriver, clicks: list[tuple], concurrency: int) -> tuple:
    """Send the clicks `concurrency` at a time; (ack times in ms, failures, wall seconds)."""
    todo: Queue[tuple] = Queue()
    for click in clicks:
        todo.put(click)
    times: list[float] = []
    moments: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def clicker() -> None:
        while True:
            try:
                user, message = todo.get_nowait()
            except Empty:
                return
            started = time.perf_counter()
            response = driver.click_button_in(message, user, action_id=ACCEPT_ACTION)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                times.append(elapsed)
                moments.append(started)
                failures[0] += not response.ok

    threads = [threading.Thread(target=clicker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, failures[0], time.perf_counter() - started


def _welcomes_waiting(ctx: Tandem) -> int:
    with ctx.session() as session:
        return session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "pair.welcome")
            .where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)))  # type: ignore[attr-defined]
        ).one()


def _homes(ctx: Tandem) -> list[Pair]:
    with ctx.session() as session:
        return list(session.exec(select(Pair)).all())


def _drain(ctx: Tandem, slack: SlackEmulator, pairs: int) -> int:
    """Move the clock and Slack's limits on a minute at a time, running the due work each
    minute, until every pair has its home and no welcome waits to be sent; the minutes it
    took (0: all done by the end of the clicks)."""
    for minute in range(MOST_MINUTES + 1):
        homed = sum(1 for pair in _homes(ctx) if pair.home_channel_id)
        if homed >= pairs and _welcomes_waiting(ctx) == 0:
            return minute
        now = ctx.clock.now() + MINUTE
        ctx.clock.set(now)  # type: ignore[attr-defined]
        slack.pass_time(MINUTE.total_seconds())
        run_due(ctx, now)
    return MOST_MINUTES


def _most_in_a_minute(moments: list[float]) -> int:
    """The most of `moments` (seconds) within any 60 seconds."""
    ordered, most, start = sorted(moments), 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 60:
            start += 1
        most = max(most, end - start + 1)
    return most


def _count(figures: Figures, ctx: Tandem, slack: SlackEmulator) -> None:
    pairs = _homes(ctx)
    figures.active = sum(1 for pair in pairs if pair.status == PairStatus.ACTIVE)
    homes = [pair.home_channel_id for pair in pairs if pair.home_channel_id]
    figures.homes, figures.distinct_homes = len(homes), len(set(homes))
    welcomed: Counter[str] = Counter()
    for home in set(homes):
        for message in slack.messages(home):
            key = ((message.get("metadata") or {}).get("event_payload") or {}).get("key", "")
            if str(key).startswith("pair.welcome:"):
                welcomed[key] += 1
    figures.welcomes = sum(welcomed.values())
    figures.lost = (figures.pairs - figures.active) + sum(
        1 for pair in pairs if not pair.home_channel_id or f"pair.welcome:{pair.id}" not in welcomed
    )
    figures.duplicated = sum(n - 1 for n in welcomed.values()) + (len(homes) - len(set(homes)))
    for call in slack.calls():
        if call.status == 429:
            figures.refused[call.method] += 1
    opened = [
        call.rate_at
        for call in slack.calls("conversations.open")
        if call.status == 200 and call.rate_at is not None
    ]
    figures.opens = len(opened)
    figures.most_opens_a_minute = _most_in_a_minute(opened)


@contextmanager
def _launch_day(database_url: str, pairs: int) -> Iterator[tuple[Tandem, SlackEmulator, str]]:
    slack = SlackEmulator(team_id=TEAM, token=TOKEN, team_name="Launch").start()
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        database_url=database_url,
        slack_api_url=slack.url,
        admins=frozenset({ADMIN}),
        default_timezone="UTC",
    )
    ctx = build_tandem(settings, clock=FrozenClock(NOON), migrate=True)
    # Listeners on the threads `tandem serve` gives them (bot.app.LISTENER_THREADS).
    server = BackgroundServer(TandemWSGI(build_app(ctx), ctx))
    server.start()
    try:
        yield ctx, slack, server.url
    finally:
        server.stop()
        ctx.engine.dispose()
        slack.stop()


def measure(
    database_url: str, pairs: int = PAIRS, concurrency: int = CONCURRENCY, seed: int = 18
) -> Figures:
    """One launch day on `database_url`: the clicks, then the minutes until every home."""
    with _launch_day(database_url, pairs) as (ctx, slack, url):
        couples = _people(slack, pairs)
        _propose(ctx, couples)
        clicks = _clicks(slack, couples, seed)
        driver = SlackDriver(url, SECRET, slack)
        driver.command(ADMIN, "help")  # a server that has been up: Bolt has its auth.test
        slack.set_rate_limits(RateLimits())  # Slack's tiers from here on, budgets full
        worker = DeliveryWorker(ctx, idle_seconds=0.5)
        ctx.on_outbox_changed = worker.kick
        worker.start()
        try:
            times, failures, seconds = _click_all(
                SlackDriver(url, SECRET, slack), clicks, concurrency
            )
            figures = Figures(
                make_url(database_url).get_backend_name(),
                pairs,
                len(clicks),
                concurrency,
                times,
                seconds,
                failed_clicks=failures,
            )
            # Let the listeners finish what follows their acks before the clock moves.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and _active(ctx) < pairs:
                time.sleep(0.2)
            worker.settle()
        finally:
            worker.stop()
            ctx.on_outbox_changed = lambda: None
        figures.homes_at_clicks = sum(1 for pair in _homes(ctx) if pair.home_channel_id)
        figures.minutes_to_homes = _drain(ctx, slack, pairs)
        _count(figures, ctx, slack)
        return figures


def _active(ctx: Tandem) -> int:
    with ctx.session() as session:
        return session.exec(
            select(func.count()).select_from(Pair).where(Pair.status == PairStatus.ACTIVE)
        ).one()


HEADER = (
    "| database | pairs (clicks, at once) | clicks took s | ack p50 ms | ack p99 ms | ack max ms | "
    "active | group DMs opened (most in 60 s) | minutes to the last home | welcomes posted | "
    "429s (by method) | lost | duplicated |\n" + "|---" * 13 + "|"
)


def row(f: Figures) -> str:
    """One markdown row."""
    refused = ", ".join(f"{n} {method}" for method, n in sorted(f.refused.items())) or "0"
    return (
        f"| {f.database} | {f.pairs} ({f.clicks}, {f.concurrency}) | {f.clicks_seconds:.1f} | "
        f"{statistics.median(f.ack_ms):.0f} | {f.quantile(0.99):.0f} | {max(f.ack_ms):.0f} | "
        f"{f.active} | {f.opens} ({f.most_opens_a_minute}) | {f.minutes_to_homes} | "
        f"{f.welcomes} | {refused} | {f.lost} | {f.duplicated} |"
    )


def main(argv: list[str]) -> None:
    """The `launch` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench launch", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create a fresh database on (default: "
        "TANDEM_TEST_POSTGRES_URL when set); SQLite always runs",
    )
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.concurrency < 1:
        parser.error("--pairs and --concurrency must be at least 1")
    print(HEADER, flush=True)
    with sqlite_url() as url:
        print(row(measure(url, args.pairs, args.concurrency)), flush=True)
    server = args.database_url or os.environ.get("TANDEM_TEST_POSTGRES_URL")
    if server:
        print(row(measure(postgres_database(server), args.pairs, args.concurrency)), flush=True)
    shown = f" --pairs {args.pairs}" if args.pairs != PAIRS else ""
    if args.concurrency != CONCURRENCY:
        shown += f" --concurrency {args.concurrency}"
    print(f"\nReproduce: .ci/with-postgres .venv/bin/python -m bench launch{shown}")

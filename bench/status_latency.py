"""How fast `/tandem status` answers over signed HTTP: a mentee in one pair, and a mentor in 20
pairs (the most the message shows), inside a programme of 400 active pairs.

The answer is the ack's ephemeral body, so the latency measured is what the person waits for.
"""

import os
import time
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import make_url

from bench.common import (
    SECRET,
    TEAM,
    Latency,
    emulator,
    postgres_database,
    running_tandem,
    sqlite_url,
    timed,
)
from bench.programme import add_pair, add_people, seed_programme
from bot.core.clock import FrozenClock
from devkit.emulator import SlackDriver, SlackEmulator

PAIRS = 400
BUSY_PAIRS = 20
CALLS = 60
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ONE_PAIR = "UE00001"  # a mentee of the seeded programme
BUSY = "UBUSY0001"


def _check(driver: SlackDriver, user_id: str, pairs: int) -> None:
    answer = driver.command(user_id, "status")
    assert answer.ok and f"in {pairs} mentoring pair" in answer.body, answer.body[:300]


def _statements(ctx, driver: SlackDriver, user_id: str) -> int:  # type: ignore[no-untyped-def]
    """SQL statements one status answer runs."""
    count = 0

    def seen(*args: object) -> None:
        nonlocal count
        count += 1

    event.listen(ctx.engine, "before_cursor_execute", seen)
    driver.command(user_id, "status")
    event.remove(ctx.engine, "before_cursor_execute", seen)
    return count


def measure(url: str, slack: SlackEmulator) -> list[str]:
    """Seed the programme and the busy mentor; time both people's status, one client."""
    backend = make_url(url).get_backend_name()
    rows = []
    with running_tandem(url, slack, FrozenClock(NOW)) as (ctx, events_url):
        seed_programme(ctx, slack, TEAM, PAIRS, NOW)
        mentees = [f"UBM{n:05d}" for n in range(BUSY_PAIRS)]
        people = add_people(slack, ctx, TEAM, [BUSY, *mentees], NOW)
        for n, mentee in enumerate(mentees):
            add_pair(ctx, TEAM, BUSY, mentee, people, n, NOW)
        driver = SlackDriver(events_url, SECRET, slack)
        for user_id, pairs, label in (
            (ONE_PAIR, 1, "mentee in 1 pair"),
            (BUSY, BUSY_PAIRS, f"mentor in {BUSY_PAIRS} pairs"),
        ):
            _check(driver, user_id, pairs)  # warm up, and make sure it is the real answer
            statements = _statements(ctx, driver, user_id)
            result: Latency = timed(label, CALLS, 1, lambda u=user_id: driver.command(u, "status"))
            rows.append(f"| {backend} | {result.row()[2:]} {statements} |")
    return rows


def main() -> None:
    """Print the table and how to reproduce it."""
    start = time.perf_counter()
    print(f"## /tandem status latency (signed HTTP, 1 client, {PAIRS} pairs in the programme)\n")
    print("| database | who | n | p50 ms | p95 ms | p99 ms | throughput | SQL statements |")
    print("|---|---|---|---|---|---|---|---|")
    with emulator() as slack:
        with sqlite_url() as url:
            print("\n".join(measure(url, slack)))
        admin_url = os.environ.get("TANDEM_TEST_POSTGRES_URL")
        if admin_url:
            print("\n".join(measure(postgres_database(admin_url), slack)))
        else:
            print("| postgresql | - | - | - | - | - | - | (no server) |")
    print(f"\n(whole benchmark {time.perf_counter() - start:.0f} s)")
    print("\nReproduce: .ci/with-postgres .venv/bin/python -m bench status_latency\n")


if __name__ == "__main__":
    main()

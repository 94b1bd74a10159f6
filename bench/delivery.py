"""`python -m bench delivery`: 10,000 due notifications in one workspace, at Slack's pace.

The emulator enforces Slack-like limits: a workspace-wide chat.postMessage budget (`--rate`
posts a second, a burst of as many) and about one post a second per channel (a burst of 3).
The notifications are DMs to 6,000 people and four posts each in 1,000 pairs' group DMs, all
due at once. One delivery pass (or `--senders` at once, PostgreSQL only) sends them; the table
shows the wall time against the floor the limits set (what cannot go in the first burst,
divided by the rate), how often Slack said 429, and how many were lost (not sent) or
duplicated (posted twice, read back from the messages' metadata keys).
"""

import argparse
import json
import os
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from bench.common import TEAM, TOKEN, postgres_database, settings, sqlite_url
from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.people import ensure_workspace
from bot.delivery.sender import deliver_due
from devkit.emulator import Budget, RateLimits, SlackEmulator
from devkit.emulator.ratelimit import floor_seconds
from storage.models import OutboxMessage, OutboxStatus

NOTIFICATIONS = 10_000
PER_GROUP = 4  # posts in each group DM; 60% of the notifications are DMs
RATE = 50
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def _people(slack: SlackEmulator, notifications: int) -> tuple[list[str], list[str]]:
    dms = notifications * 6 // 10
    users = [f"UD{n:05d}" for n in range(dms)]
    for user in users:
        slack.add_user(user, user.lower(), tz="UTC")
    groups = [f"GD{n:05d}" for n in range((notifications - dms) // PER_GROUP)]
    for n, group in enumerate(groups):
        slack.add_channel(group, f"mpdm-{n}", is_private=True, members=users[2 * n : 2 * n + 2])
    return users, groups


def _queue(ctx: Any, users: list[str], groups: list[str], now: datetime) -> int:
    """Write the notifications straight into the outbox (their queueing is not measured)."""
    rows = []

    def add(key: str, channel: str, recipient: str | None) -> None:
        rows.append(
            {
                "team_id": TEAM,
                "key": key,
                "kind": "bench.delivery",
                "channel": channel,
                "recipient_user_id": recipient,
                "audience": None,
                "exempt_from_cap": True,
                "text": f"Notification {key}",
                "blocks": None,
                "status": OutboxStatus.PENDING,
                "deliver_after": now - timedelta(minutes=1),
                "attempts": 0,
                "created_at": now - timedelta(minutes=1),
            }
        )

    for user in users:
        add(f"bench.dm:{user}", user, user)
    for k in range(PER_GROUP):
        for group in groups:
            add(f"bench.group:{group}:{k}", group, None)
    with ctx.session() as session:
        ensure_workspace(session, TEAM)
    with ctx.engine.begin() as connection:
        connection.execute(insert(OutboxMessage.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


def _posted_keys(slack: SlackEmulator) -> Counter[str]:
    return Counter(
        m["metadata"]["event_payload"]["key"] for m in slack.messages() if m.get("metadata")
    )


def measure(url: str, senders: int, rate: float, notifications: int) -> dict[str, Any]:
    """Queue the notifications, send them against the limits, count what arrived."""
    budget = Budget(rate, int(rate))
    limits = RateLimits(workspace={"chat.postMessage": budget}, per_channel=Budget(1, 3))
    slack = SlackEmulator(team_id=TEAM, token=TOKEN, rate_limits=limits).start()
    try:
        users, groups = _people(slack, notifications)
        # Noon everywhere (people are in UTC): quiet hours hold nothing back.
        ctx = build_tandem(settings(url, slack), clock=FrozenClock(NOON), migrate=True)
        queued = _queue(ctx, users, groups, NOON)
        slack.set_rate_limits(limits)  # a fresh budget: the burst is the limits' own
        start = time.perf_counter()
        threads = [threading.Thread(target=deliver_due, args=(ctx,)) for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
        with ctx.session() as session:
            sent = session.execute(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.SENT)
            ).scalar_one()
        keys = _posted_keys(slack)
        ctx.engine.dispose()
        refused = sum(1 for c in slack.calls("chat.postMessage") if c.status == 429)
        floor = floor_seconds(queued, budget)
        return {
            "database": make_url(url).get_backend_name(),
            "senders": senders,
            "notifications": queued,
            "rate_per_second": rate,
            "floor_seconds": floor,
            "wall_seconds": wall,
            "ratio_to_floor": wall / floor if floor else 0.0,
            "http_429": refused,
            "lost": queued - len(keys),
            "duplicated": sum(n - 1 for n in keys.values()),
            "recorded_sent": sent,
        }
    finally:
        slack.stop()


HEADER = (
    "| database | senders | notifications | limit (posts/s) | floor s | wall s | wall / floor | "
    "429s | lost | duplicated |\n|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: dict[str, Any]) -> str:
    """One markdown table row."""
    return (
        f"| {r['database']} | {r['senders']} | {r['notifications']:,} | {r['rate_per_second']:g} "
        f"| {r['floor_seconds']:.0f} | {r['wall_seconds']:.0f} | {r['ratio_to_floor']:.2f} | "
        f"{r['http_429']} | {r['lost']} | {r['duplicated']} |"
    )


def main(argv: list[str]) -> None:
    """The `delivery` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench delivery", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rate", type=float, default=RATE, help="workspace posts a second")
    parser.add_argument("--notifications", type=int, default=NOTIFICATIONS)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    admin_url = os.environ.get("TANDEM_TEST_POSTGRES_URL")
    results = []
    print(HEADER, flush=True)
    for database in args.databases.split(","):
        if database == "sqlite":
            with sqlite_url() as url:
                results.append(measure(url, 1, args.rate, args.notifications))
            print(row(results[-1]), flush=True)
        elif database == "postgresql" and admin_url:
            for senders in (1, 2):
                url = postgres_database(admin_url)
                results.append(measure(url, senders, args.rate, args.notifications))
                print(row(results[-1]), flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
    shown = f" --rate {args.rate:g}" if args.rate != RATE else ""
    if args.notifications != NOTIFICATIONS:
        shown += f" --notifications {args.notifications}"
    print(f"\nReproduce: .ci/with-postgres .venv/bin/python -m bench delivery{shown}")

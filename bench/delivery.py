"""`python -m bench delivery`: 10,000 due notifications in one workspace, at Slack's pace;
with `--workspaces N`, N OAuth workspaces sharing the sender, one of them throttled.

The emulator enforces Slack-like limits: a workspace-wide chat.postMessage budget (`--rate`
posts a second, a burst of as many) and about one post a second per channel (a burst of 3).
The notifications are DMs to 6,000 people and four posts each in 1,000 pairs' group DMs, all
due at once. One delivery pass (or `--senders` at once, PostgreSQL only) sends them; the table
shows the wall time against the floor the limits set (what cannot go in the first burst,
divided by the rate), how often Slack said 429, and how many were lost (not sent) or
duplicated (posted twice, read back from the messages' metadata keys).

`--workspaces N` (the fairness benchmark): N workspaces installed through OAuth, each with its
own token and its own limits on one emulator, `--messages` due in each (the same mix of DMs
and group posts). Each has Slack's workspace-wide posting budget (`--rate` a second, a burst of
four seconds' worth), but the first one Slack throttles to a fifth of it, and its backlog was queued
first. The table shows each workspace's finish (its last post) against its own floor: the
others must not wait behind the throttled one, and it must not be starved either.
"""

import argparse
import json
import os
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from bench.common import TEAM, TOKEN, postgres_database, settings, sqlite_url
from bot.app import BOT_SCOPES, build_tandem, oauth_stores
from bot.core.clock import FrozenClock
from bot.core.people import ensure_workspace
from bot.delivery.sender import deliver_due, next_delivery_at
from devkit.emulator import Budget, RateLimits, SlackEmulator
from devkit.emulator.ratelimit import floor_seconds
from storage.models import OutboxMessage, OutboxStatus

NOTIFICATIONS = 10_000
PER_GROUP = 4  # posts in each group DM; 60% of the notifications are DMs
RATE = 50
WORKSPACE_MESSAGES = 500  # due in each workspace with --workspaces
WORKSPACE_RATE = 5  # posts a second per workspace with --workspaces ("several hundred a minute")
THROTTLED = 5  # the throttled workspace gets a fifth of the rate
BURST_SECONDS = 4  # a workspace may post this many seconds' worth at once
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
# Series of a /metrics scrape worth showing after a run (--scrape).
SCRAPED = (
    "tandem_outbox_sent_total",
    "tandem_outbox_failed_total",
    "tandem_outbox_retried_total",
    "tandem_outbox_messages",
    "tandem_outbox_oldest_waiting_seconds",
    "tandem_slack_answers_total",
)


class _RunningClock:
    """NOON when the run starts, then moving with real time: a row a pass put back for a few
    seconds (a 429 held it past half its lease) comes due again, as under the real worker."""

    def __init__(self, start: datetime) -> None:
        self._start, self._began = start, time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._began)


def _sender(ctx: Any, deadline: float) -> None:
    """What the delivery worker does: a pass, and another when the next row comes due,
    until no row waits (or `deadline`, monotonic, passes)."""
    while time.monotonic() < deadline:
        deliver_due(ctx)
        due = next_delivery_at(ctx)
        if due is None:
            return
        time.sleep(min(max((due - ctx.clock.now()).total_seconds(), 0.05), 1.0))


def scrape_lines(ctx: Any) -> list[str]:
    """The delivery series of this process's `/metrics` (non-zero samples only)."""
    shown = []
    for line in ctx.metrics.exposition().decode().splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if line.startswith("#") or name not in SCRAPED:
            continue
        if float(line.rsplit(" ", 1)[1]) != 0:
            shown.append(line)
    return shown


def _people(slack: SlackEmulator, notifications: int) -> tuple[list[str], list[str]]:
    dms = notifications * 6 // 10
    users = [f"UD{n:05d}" for n in range(dms)]
    for user in users:
        slack.add_user(user, user.lower(), tz="UTC")
    groups = [f"GD{n:05d}" for n in range((notifications - dms) // PER_GROUP)]
    for n, group in enumerate(groups):
        slack.add_channel(group, f"mpdm-{n}", is_private=True, members=users[2 * n : 2 * n + 2])
    return users, groups


def _queue(ctx: Any, users: list[str], groups: list[str], now: datetime, team: str = TEAM) -> int:
    """Write the notifications straight into the outbox (their queueing is not measured)."""
    rows = []
    prefix = "" if team == TEAM else f"{team}:"

    def add(key: str, channel: str, recipient: str | None) -> None:
        rows.append(
            {
                "team_id": team,
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
        add(f"bench.dm:{prefix}{user}", user, user)
    for k in range(PER_GROUP):
        for group in groups:
            add(f"bench.group:{prefix}{group}:{k}", group, None)
    with ctx.session() as session:
        ensure_workspace(session, team)
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


def _install(ctx: Any, slack: SlackEmulator, teams: list[str]) -> None:
    """Each workspace installs the app through OAuth: its own bot token, in our store."""
    store, _ = oauth_stores(ctx)
    for team in teams:
        token = f"xoxb-{team.lower()}"
        slack.add_team_token(team, token)
        store.save(
            Installation(
                app_id="ABENCH",
                team_id=team,
                user_id="UINSTALLER",
                bot_token=token,
                bot_id="BBENCH",
                bot_user_id="UBENCHBOT",
                bot_scopes=list(BOT_SCOPES),
            )
        )


def measure_workspaces(
    url: str,
    workspaces: int,
    rate: float,
    messages: int,
    senders: int = 1,
    scrape: list[str] | None = None,
) -> list[dict[str, Any]]:
    """N workspaces' backlogs through `senders` senders at once; figures per workspace
    (and, into `scrape` when given, what /metrics shows afterwards)."""
    # Bursts as the emulator's Slack-like default (5 a second, 20 at once) has them.
    normal = Budget(rate, int(BURST_SECONDS * rate))
    slow = Budget(rate / THROTTLED, max(int(BURST_SECONDS * rate) // THROTTLED, 1))
    limits = RateLimits(workspace={"chat.postMessage": normal}, per_channel=Budget(1, 3))
    teams = [f"TFAIR{n:02d}" for n in range(workspaces)]
    slack = SlackEmulator(team_id=TEAM, token=TOKEN).start()
    try:
        # The same people and group DMs in each workspace (keys and limits are per workspace).
        users, groups = _people(slack, messages)
        oauth = replace(
            settings(url, slack),
            slack_bot_token=None,
            slack_client_id="111.222",
            slack_client_secret="bench-oauth-secret",
        )
        ctx = build_tandem(oauth, clock=FrozenClock(NOON), migrate=True)
        _install(ctx, slack, teams)
        # The throttled workspace's backlog first: soonest due, lowest ids.
        queued = {team: _queue(ctx, users, groups, NOON, team) for team in teams}
        slack.set_rate_limits(limits)  # fresh budgets: each burst is the limits' own
        slack.set_team_rate_limits(teams[0], RateLimits({"chat.postMessage": slow}, Budget(1, 3)))
        ctx.clock = _RunningClock(NOON)
        start = time.monotonic()
        deadline = start + 10 * floor_seconds(queued[teams[0]], slow)
        threads = [threading.Thread(target=_sender, args=(ctx, deadline)) for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - start
        if scrape is not None:
            scrape += scrape_lines(ctx)
        ctx.engine.dispose()
        keys = _posted_keys(slack)
        finished: dict[str, float] = {}
        refused: Counter[str] = Counter()
        for call in slack.calls("chat.postMessage"):
            key = str((call.args.get("metadata") or {}).get("event_payload", {}).get("key", ""))
            team = key.split(":")[1] if ":" in key else ""
            if call.status == 200:
                finished[team] = max(finished.get(team, 0.0), call.at - start)
            elif call.status == 429:
                refused[team] += 1
        results = []
        for n, team in enumerate(teams):
            floor = floor_seconds(queued[team], slow if n == 0 else normal)
            mine = Counter({k: c for k, c in keys.items() if k.split(":")[1] == team})
            results.append(
                {
                    "database": make_url(url).get_backend_name(),
                    "senders": senders,
                    "workspace": team,
                    "throttled": n == 0,
                    "messages": queued[team],
                    "rate_per_second": (slow if n == 0 else normal).per_second,
                    "floor_seconds": floor,
                    "finished_seconds": finished.get(team, wall),
                    "ratio_to_floor": finished.get(team, wall) / floor if floor else 0.0,
                    "http_429": refused[team],
                    "lost": queued[team] - len(mine),
                    "duplicated": sum(c - 1 for c in mine.values()),
                    "wall_seconds": wall,
                }
            )
        return results
    finally:
        slack.stop()


WORKSPACES_HEADER = (
    "| database | senders | workspaces × messages | limit (posts/s) | floor s | "
    "finished s (worst) | finished / floor (worst) | 429s | lost | duplicated |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def workspaces_rows(results: list[dict[str, Any]]) -> list[str]:
    """Two markdown rows: the throttled workspace, and the worst of the others."""
    out = []
    for throttled in (True, False):
        mine = [r for r in results if r["throttled"] == throttled]
        worst = max(mine, key=lambda r: r["ratio_to_floor"])
        who = "throttled (1)" if throttled else f"each other ({len(mine)})"
        out.append(
            f"| {worst['database']} | {worst['senders']} | {who} × {worst['messages']} | "
            f"{worst['rate_per_second']:g} | {worst['floor_seconds']:.0f} | "
            f"{worst['finished_seconds']:.0f} | {worst['ratio_to_floor']:.2f} | "
            f"{sum(r['http_429'] for r in mine)} | {sum(r['lost'] for r in mine)} | "
            f"{sum(r['duplicated'] for r in mine)} |"
        )
    return out


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
    parser.add_argument(
        "--rate",
        type=float,
        help=f"workspace posts a second (default {RATE:g}; {WORKSPACE_RATE} with --workspaces)",
    )
    parser.add_argument("--notifications", type=int, default=NOTIFICATIONS)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--workspaces", type=int, help="N OAuth workspaces, one throttled (the fairness run)"
    )
    parser.add_argument(
        "--messages", type=int, default=WORKSPACE_MESSAGES, help="due in each workspace"
    )
    parser.add_argument(
        "--scrape",
        action="store_true",
        help="with --workspaces: print the delivery series of /metrics after each run",
    )
    args = parser.parse_args(argv)
    if args.workspaces:
        _main_workspaces(args)
        return
    admin_url = os.environ.get("TANDEM_TEST_POSTGRES_URL")
    results = []
    print(HEADER, flush=True)
    for database in args.databases.split(","):
        if database == "sqlite":
            with sqlite_url() as url:
                results.append(measure(url, 1, args.rate or RATE, args.notifications))
            print(row(results[-1]), flush=True)
        elif database == "postgresql" and admin_url:
            for senders in (1, 2):
                url = postgres_database(admin_url)
                results.append(measure(url, senders, args.rate or RATE, args.notifications))
                print(row(results[-1]), flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
    shown = f" --rate {args.rate:g}" if args.rate not in (None, RATE) else ""
    if args.notifications != NOTIFICATIONS:
        shown += f" --notifications {args.notifications}"
    print(f"\nReproduce: .ci/with-postgres .venv/bin/python -m bench delivery{shown}")


def _main_workspaces(args: argparse.Namespace) -> None:
    rate = args.rate or WORKSPACE_RATE
    admin_url = os.environ.get("TANDEM_TEST_POSTGRES_URL")
    results: list[dict[str, Any]] = []
    print(WORKSPACES_HEADER, flush=True)
    runs: list[tuple[str, int]] = []
    for database in args.databases.split(","):
        if database == "sqlite":
            runs.append((database, 1))
        elif database == "postgresql" and admin_url:
            runs += [(database, 1), (database, 2)]  # replicas share PostgreSQL
    scrapes: list[tuple[str, int, list[str]]] = []
    for database, senders in runs:
        scraped: list[str] = []
        if database == "sqlite":
            with sqlite_url() as url:
                measured = measure_workspaces(
                    url, args.workspaces, rate, args.messages, scrape=scraped
                )
        else:
            url = postgres_database(admin_url or "")
            measured = measure_workspaces(
                url, args.workspaces, rate, args.messages, senders, scrape=scraped
            )
        results += measured
        scrapes.append((database, senders, scraped))
        print("\n".join(workspaces_rows(measured)), flush=True)
    if args.scrape:
        for database, senders, scraped in scrapes:
            print(f"\n/metrics after the {database} run, {senders} sender(s):")
            print("\n".join(scraped), flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
    shown = f" --workspaces {args.workspaces}"
    if args.messages != WORKSPACE_MESSAGES:
        shown += f" --messages {args.messages}"
    if args.rate not in (None, WORKSPACE_RATE):
        shown += f" --rate {args.rate:g}"
    if args.scrape:
        shown += " --scrape"
    print(f"\nReproduce: .ci/with-postgres .venv/bin/python -m bench delivery{shown}")

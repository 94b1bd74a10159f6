"""Workspaces share the sender fairly, and a crash's history check keeps Slack's history limit.

Two OAuth workspaces on one emulator, each with its own token and its own rate limits: the
one Slack throttles waits on its own while the other's reminders go out. With
`conversations.history` limited to one request a minute per workspace, messages taken over
after a crash wait for their turn to be checked and none is posted twice.
"""

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.app import BOT_SCOPES, build_tandem, oauth_stores
from bot.core.clock import FrozenClock
from bot.core.context import Tandem
from bot.core.people import ensure_workspace
from bot.delivery.claims import LEASE, claim_batch
from bot.delivery.sender import deliver_due
from bot.delivery.service import enqueue, message_metadata
from devkit.emulator import Budget, Call, RateLimits, SlackEmulator
from devkit.emulator.ratelimit import LIMITED_HISTORY, RateLimiter
from storage.models import OutboxStatus
from tests.delivery.helpers import row
from tests.support.harness import START, settings_for_test

BUSY, QUIET = "T0BUSY", "T0QUIET"
TOKENS = {BUSY: "xoxb-busy", QUIET: "xoxb-quiet"}


@pytest.fixture
def two_workspaces(database_url: str, emulator: SlackEmulator) -> Iterator[Tandem]:
    """Tandem with OAuth installs in two workspaces, both answered by the emulator."""
    settings = settings_for_test(
        database_url,
        emulator,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="oauth-secret",
    )
    ctx = build_tandem(settings, clock=FrozenClock(START), migrate=False)
    store, _ = oauth_stores(ctx)
    for team, token in TOKENS.items():
        with ctx.session() as session:
            ensure_workspace(session, team)
        emulator.add_team_token(team, token)
        store.save(
            Installation(
                app_id="A1",
                team_id=team,
                user_id="U1",
                bot_token=token,
                bot_id="B1",
                bot_user_id="UBOT",
                bot_scopes=list(BOT_SCOPES),
            )
        )
    yield ctx
    ctx.engine.dispose()


def queue_dms(ctx: Tandem, emulator: SlackEmulator, team: str, count: int, at: datetime) -> None:
    """`count` messages due at `at` in `team`, each a DM to its own person."""
    with ctx.session() as session:
        for n in range(count):
            user = f"U{team[2:6]}{n:04d}"
            emulator.add_user(user, user.lower(), tz="UTC")
            enqueue(
                session,
                team_id=team,
                key=f"fair:{team}:{n}",
                kind="meeting.reminder",
                channel=user,
                text=f"reminder {n}",
                deliver_after=at,
            )


def key_of(call: Call) -> str:
    return str((call.args.get("metadata") or {}).get("event_payload", {}).get("key", ""))


def posted_keys(emulator: SlackEmulator) -> Counter[str]:
    return Counter(
        m["metadata"]["event_payload"]["key"] for m in emulator.messages() if m.get("metadata")
    )


def test_a_throttled_workspace_does_not_delay_another_workspaces_reminders(
    two_workspaces: Tandem, emulator: SlackEmulator
) -> None:
    ctx = two_workspaces
    # The busy workspace's backlog was queued first (sooner due) and is three batches long.
    queue_dms(ctx, emulator, BUSY, 300, START - timedelta(minutes=5))
    queue_dms(ctx, emulator, QUIET, 10, START)
    emulator.set_rate_limits(RateLimits(workspace={"chat.postMessage": Budget(50, 50)}))
    emulator.set_team_rate_limits(BUSY, RateLimits(workspace={"chat.postMessage": Budget(10, 10)}))
    emulator.clear_calls()

    report = deliver_due(ctx, START, max_seconds=0.5)

    posts = emulator.calls("chat.postMessage")
    quiet = [
        n for n, c in enumerate(posts) if key_of(c).startswith(f"fair:{QUIET}") and c.status == 200
    ]
    assert len(quiet) == 10  # every one of the quiet workspace's reminders, in this pass
    busy_before = [
        c for c in posts[: quiet[-1]] if key_of(c).startswith(f"fair:{BUSY}") and c.status == 200
    ]
    # They went in the busy workspace's first turn, not after its backlog (a batch is 100).
    assert len(busy_before) <= 20
    refused = [c for c in posts if c.status == 429]
    assert refused and all(key_of(c).startswith(f"fair:{BUSY}") for c in refused)
    assert report.rate_limited == len(refused)
    # The busy workspace's rest waits in the outbox, nothing lost, nothing twice.
    counts = posted_keys(emulator)
    assert set(counts.values()) == {1}
    left = [row(ctx, f"fair:{BUSY}:{n}").status for n in range(300)]
    assert left.count(OutboxStatus.SENT) == sum(1 for k in counts if k.startswith(f"fair:{BUSY}"))
    assert left.count(OutboxStatus.PENDING) == 300 - left.count(OutboxStatus.SENT)


def test_with_history_read_once_a_minute_no_message_is_posted_twice(
    two_workspaces: Tandem, emulator: SlackEmulator
) -> None:
    ctx = two_workspaces
    queue_dms(ctx, emulator, BUSY, 4, START)
    emulator.add_channel("C0PAIRS", "pairs")
    with ctx.session() as session:
        for n in range(2):
            enqueue(
                session,
                team_id=BUSY,
                key=f"fair:channel:{n}",
                kind="meeting.reminder",
                channel="C0PAIRS",
                text=f"channel {n}",
                deliver_after=START,
            )
    # The sender claims all six, posts three of them, then dies before recording any.
    claimed = claim_batch(ctx, START)
    client = ctx.delivery_client(BUSY)
    for posted in (claimed[0], claimed[1], *[r for r in claimed if r.channel == "C0PAIRS"][:1]):
        client.chat_postMessage(
            channel=posted.channel, text=posted.text, metadata=message_metadata(posted.key)
        )
    # Since: so much talk in the first DM that the message is not on the newest page.
    first_dm = client.conversations_open(users=claimed[0].channel)["channel"]["id"]
    for n in range(250):
        emulator.add_message(first_dm, f"chat {n}", user=claimed[0].channel)
    minute = [1000.0]  # the limiter's clock, moved by hand: Slack's minutes, instantly
    limits = RateLimits(workspace={}).with_method("conversations.history", LIMITED_HISTORY)
    emulator.rate_limiter = RateLimiter(limits, lambda: minute[0])
    emulator.clear_calls()

    at, passes, recovered = START + LEASE + timedelta(seconds=1), 0, 0
    while passes < 12:
        report = deliver_due(ctx, at)
        recovered += report.recovered
        passes += 1
        reads = [c for c in emulator.calls("conversations.history") if c.status == 200]
        channels = Counter(c.args["channel"] for c in emulator.calls("conversations.history"))
        assert len(reads) <= 1 and max(channels.values(), default=0) <= 1, (passes, channels)
        emulator.clear_calls()
        waiting = [row(ctx, r.key) for r in claimed if row(ctx, r.key).status != OutboxStatus.SENT]
        if not waiting:
            break
        assert all(r.status == OutboxStatus.PENDING for r in waiting)
        at = max(at, min(r.deliver_after for r in waiting))
        minute[0] += 60

    assert set(posted_keys(emulator).values()) == {1}
    assert len(posted_keys(emulator)) == 6
    assert recovered == 3
    # Six channels' checks at one read a minute, one more for the DM's older page.
    assert 5 <= passes <= 8, passes

"""Exactly once at a company's size: 10,000 pairs, two schedulers on one PostgreSQL."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import func, select

from bench.seed import AT, DUE_AT, due_kind, home_of, mentee_of, mentor_of, seed, zone_of
from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.context import Tandem
from bot.scheduler import run_due
from devkit.emulator import SlackEmulator
from storage.models import OutboxMessage, OutboxStatus
from tests.support.harness import settings_for_test

PAIRS = 10_000


def replica(url: str, emulator: SlackEmulator) -> Tandem:
    """One Tandem process's worth: its own engine and clock, the shared database."""
    return build_tandem(settings_for_test(url, emulator), clock=FrozenClock(AT), migrate=False)


def both_at_once(replicas: list[Tandem], at) -> None:  # type: ignore[no-untyped-def]
    for ctx in replicas:
        ctx.clock.set(at)  # type: ignore[attr-defined]
    threads = [threading.Thread(target=run_due, args=(ctx, at)) for ctx in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_two_schedulers_on_ten_thousand_pairs_send_each_notification_once(
    database_url: str, emulator: SlackEmulator
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several replicas share PostgreSQL (SQLite: one process)")
    for n in range(PAIRS):
        if due_kind(n) is not None:
            members = [mentor_of(n), mentee_of(n)]
            for user in members:
                emulator.add_user(user, user.lower(), tz=zone_of(user))
            emulator.add_channel(home_of(n), f"mpdm-{n}", is_private=True, members=members)
    first = replica(database_url, emulator)
    seed(first.engine, PAIRS)
    replicas = [first, replica(database_url, emulator)]
    emulator.set_latency("chat.postMessage", 0.002)  # let the two senders interleave
    try:
        both_at_once(replicas, DUE_AT)
        both_at_once(replicas, DUE_AT + timedelta(seconds=30))  # the next tick finds nothing new
        with first.session() as session:
            sent = session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at >= AT)
            ).one()
            claimed = session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.SENDING)
            ).one()
    finally:
        for ctx in replicas:
            ctx.engine.dispose()
    posted = Counter(
        m["metadata"]["event_payload"]["key"] for m in emulator.messages() if m.get("metadata")
    )
    assert len(posted) > 30  # 1% of the pairs had something due (quiet hours hold some)
    assert [key for key, n in posted.items() if n > 1] == []  # nothing twice
    assert sent == len(posted)  # everything recorded as sent was posted, and the reverse
    assert claimed == 0  # no row left half-way

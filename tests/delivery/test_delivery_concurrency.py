"""Two `tandem run-due` at once, and a rerun after a crash: every notification exactly once."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.delivery.sender import LEASE, claim_batch
from bot.delivery.service import message_metadata
from bot.meetings import keys
from bot.meetings.nudges import produce_meeting_nudges
from bot.scheduler import run_due
from devkit.emulator import SlackEmulator
from tests.meetings.helpers import queued, utc
from tests.support.fanout import many_pairs, posted_keys
from tests.support.harness import ADMIN, BOT_TOKEN, TEAM_ID, Harness, settings_for_test

ROOT = Path(__file__).resolve().parents[2]
PAIRS = 6
DAY_BEFORE = utc(2026, 3, 8, 9)  # the 1-day reminders of Monday 9 March 10:00 Berlin


def run_due_process(database_url: str, emulator: SlackEmulator, now: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": emulator.url,
        "TANDEM_ADMINS": ADMIN,
        "TANDEM_AUTO_MIGRATE": "false",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run-due", "--now", now],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_run_due_processes_on_postgres_send_each_notification_once(
    database_url: str, tandem: Harness
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent processes are PostgreSQL's deployment (SQLite: one process)")
    many_pairs(tandem, PAIRS)
    tandem.emulator.set_latency("chat.postMessage", 0.01)  # let the two interleave
    processes = [
        run_due_process(database_url, tandem.emulator, DAY_BEFORE.isoformat()) for _ in "ab"
    ]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    reminders = queued(tandem, keys.REMINDER)
    assert len(reminders) == 2 * PAIRS
    counts = posted_keys(tandem.emulator)
    assert {counts[r.key] for r in reminders} == {1}
    assert all(n == 1 for n in counts.values())


def test_two_schedulers_in_threads_with_their_own_engines_send_once(
    database_url: str, tandem: Harness, emulator: SlackEmulator
) -> None:
    many_pairs(tandem, PAIRS)
    settings = settings_for_test(database_url, emulator)
    replicas = [
        build_tandem(settings, clock=FrozenClock(DAY_BEFORE), migrate=False) for _ in range(2)
    ]
    errors: list[BaseException] = []

    def tick(ctx) -> None:  # type: ignore[no-untyped-def]
        try:
            run_due(ctx, DAY_BEFORE)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=tick, args=(ctx,)) for ctx in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for ctx in replicas:
        ctx.engine.dispose()
    assert errors == []
    counts = posted_keys(emulator)
    reminders = queued(tandem, keys.REMINDER)
    assert len(reminders) == 2 * PAIRS and {counts[r.key] for r in reminders} == {1}


def test_a_rerun_after_a_crash_between_posting_and_recording_sends_nothing_twice(
    database_url: str, tandem: Harness
) -> None:
    many_pairs(tandem, PAIRS)
    # A first run queues the reminders; its sender claims them, posts two, then dies.
    with tandem.session() as session:
        produce_meeting_nudges(tandem.ctx, session, DAY_BEFORE)
    claimed = claim_batch(tandem.ctx, DAY_BEFORE)
    client = tandem.ctx.delivery_client(TEAM_ID)
    for row in claimed[:2]:
        metadata = message_metadata(row.key)
        client.chat_postMessage(channel=row.channel, text=row.text, metadata=metadata)
    # Rerun (the claims' leases have run out by then): the two are found, the rest sent.
    later = DAY_BEFORE + LEASE + timedelta(seconds=1)
    report = tandem.run_due(later)
    assert (report.delivery.recovered, report.delivery.sent) == (2, 2 * PAIRS - 2)
    again = tandem.run_due(later + timedelta(minutes=1))
    assert again.delivery.sent == 0 and again.queued == 0
    counts = posted_keys(tandem.emulator)
    assert {counts[r.key] for r in queued(tandem, keys.REMINDER)} == {1}


def test_run_due_from_the_command_line_reports_what_it_did(
    database_url: str, tandem: Harness
) -> None:
    if database_url.startswith("postgresql"):
        pytest.skip("the command line on PostgreSQL is exercised by the concurrent test")
    many_pairs(tandem, PAIRS)
    process = run_due_process(database_url, tandem.emulator, "2026-03-08T10:00:00+01:00")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"queued {2 * PAIRS}, sent {2 * PAIRS}," in out
    again = tandem.run_due(DAY_BEFORE)  # what a second `tandem run-due` would find
    assert (again.queued, again.delivery.sent) == (0, 0)

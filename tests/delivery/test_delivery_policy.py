"""Quiet hours in each recipient's own timezone, and at most N DMs a day (then one digest)."""

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.core.context import Tandem
from bot.delivery import daily_limit
from bot.delivery.digest import digest_key
from bot.delivery.policy_rules import QuietHours, quiet_end, release_time
from bot.delivery.sender import deliver_due
from devkit.emulator import SlackEmulator
from storage.db import create_db_engine, session_scope
from storage.models import DailyDmCount, OutboxStatus, Workspace
from tests.delivery.helpers import queue, row
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, TEAM_ID

BERLIN, NEW_YORK, TOKYO = (ZoneInfo(z) for z in ("Europe/Berlin", "America/New_York", "Asia/Tokyo"))
QUIET = QuietHours()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def dm_texts(emulator: SlackEmulator, user_id: str) -> list[str]:
    return [m["text"] for m in emulator.messages(emulator.dm_channel(user_id))]


# -- pure rules ------------------------------------------------------------------------------


def test_quiet_hours_wrap_midnight_and_end_in_the_persons_own_morning() -> None:
    assert QUIET.contains(time(23, 0)) and QUIET.contains(time(7, 59))
    assert not QUIET.contains(time(8, 0)) and not QUIET.contains(time(19, 59))
    # 22:00 in Berlin (21:00 UTC in winter): quiet until 08:00 Berlin tomorrow.
    assert quiet_end(utc(2026, 3, 2, 21), BERLIN, QUIET) == utc(2026, 3, 3, 7)
    # Same instant is 16:00 in New York: not quiet there.
    assert quiet_end(utc(2026, 3, 2, 21), NEW_YORK, QUIET) is None
    # 05:00 in New York, the morning the clocks sprang forward: 08:00 EDT is 12:00 UTC.
    assert quiet_end(utc(2026, 3, 8, 9), NEW_YORK, QUIET) == utc(2026, 3, 8, 12)


def test_a_shared_post_waits_until_everyone_is_awake() -> None:
    # 07:00 UTC: 08:00 Berlin (awake), 02:00 New York (asleep) → 08:00 New York = 13:00 UTC.
    assert release_time(utc(2026, 3, 2, 7), [BERLIN, NEW_YORK], QUIET) == utc(2026, 3, 2, 13)
    # 13:00 UTC is 08:00 in New York but 22:00 in Tokyo; both are awake from 08:00 Tokyo,
    # which is 18:00 in New York (their two waking hours overlap).
    assert release_time(utc(2026, 3, 2, 13), [NEW_YORK, TOKYO], QUIET) == utc(2026, 3, 2, 23)


def test_switched_off_quiet_hours_hold_nothing() -> None:
    assert release_time(utc(2026, 3, 2, 2), [BERLIN], QuietHours(time(0), time(0))) == utc(
        2026, 3, 2, 2
    )


# -- the sender applies them ------------------------------------------------------------------


def test_a_dm_in_the_recipients_night_is_held_until_their_morning(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    night_in_new_york = utc(2026, 3, 2, 4)  # 23:00 in New York, 05:00 in Berlin
    queue(ctx, "test:night", MENTEE, night_in_new_york, recipient_user_id=MENTEE)
    report = deliver_due(ctx, night_in_new_york)
    assert (report.held, report.sent) == (1, 0)
    held = row(ctx, "test:night")
    assert held.deliver_after == utc(2026, 3, 2, 13)  # 08:00 in New York
    assert held.attempts == 0
    assert deliver_due(ctx, utc(2026, 3, 2, 12, 59)).sent == 0
    assert deliver_due(ctx, utc(2026, 3, 2, 13)).sent == 1
    assert dm_texts(emulator, MENTEE) == ["message test:night"]


def test_a_post_to_a_pair_waits_for_both_mornings(ctx: Tandem, emulator: SlackEmulator) -> None:
    queue(ctx, "test:pair", "CCELEBRATE", utc(2026, 3, 2, 7), audience=[MENTOR, MENTEE])
    assert deliver_due(ctx, utc(2026, 3, 2, 7)).held == 1
    assert row(ctx, "test:pair").deliver_after == utc(2026, 3, 2, 13)


def test_holding_past_the_point_of_mattering_sends_now_instead(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    # A reminder at 03:00 New York for a meeting the mentee agreed to hold at 04:00.
    at = utc(2026, 3, 2, 8)
    queue(
        ctx, "test:early", MENTEE, at, recipient_user_id=MENTEE, expires_at=at + timedelta(hours=1)
    )
    assert deliver_due(ctx, at).sent == 1


def test_the_workspace_decides_the_quiet_hours(ctx: Tandem, emulator: SlackEmulator) -> None:
    with ctx.session() as session:
        workspace = session.get(Workspace, TEAM_ID)
        workspace.quiet_hours_start, workspace.quiet_hours_end = "22:00", "06:30"
    at = utc(2026, 3, 2, 20, 30)  # 21:30 Berlin: fine now
    queue(ctx, "test:evening", MENTOR, at, recipient_user_id=MENTOR)
    assert deliver_due(ctx, at).sent == 1
    at = utc(2026, 3, 2, 21, 30)  # 22:30 Berlin: held until 06:30
    queue(ctx, "test:late-evening", MENTOR, at, recipient_user_id=MENTOR)
    assert deliver_due(ctx, at).held == 1
    assert row(ctx, "test:late-evening").deliver_after == utc(2026, 3, 3, 5, 30)


def test_over_the_daily_limit_routine_dms_fold_into_one_digest_next_morning(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    day = utc(2026, 3, 2, 10)  # 11:00 in Berlin
    for n in range(5):
        queue(ctx, f"test:busy:{n}", MENTOR, day, recipient_user_id=MENTOR, text=f"nudge {n}")
    # Issue 17 overturned the old rule here (a folded reminder expired as too late by the
    # morning): a reminder is time-critical, so it goes out at once, over the limit or not.
    queue(
        ctx,
        "test:busy:reminder",
        MENTOR,
        day,
        recipient_user_id=MENTOR,
        kind="meeting.reminder",
        text="about a meeting this afternoon",
        expires_at=day + timedelta(hours=5),
    )
    report = deliver_due(ctx, day)
    assert (report.sent, report.folded) == (4, 2)
    assert dm_texts(emulator, MENTOR) == [
        "nudge 0",
        "nudge 1",
        "nudge 2",
        "about a meeting this afternoon",
    ]
    assert row(ctx, "test:busy:reminder").status == OutboxStatus.SENT
    key = digest_key(TEAM_ID, MENTOR, day.date())
    assert {row(ctx, f"test:busy:{n}").folded_into for n in (3, 4)} == {key}
    digest = row(ctx, key)
    assert digest.deliver_after == utc(2026, 3, 3, 7)  # 08:00 Berlin next day
    # A later message the same day joins the same digest; nothing else is sent today.
    queue(ctx, "test:busy:later", MENTOR, day + timedelta(hours=2), recipient_user_id=MENTOR)
    assert deliver_due(ctx, day + timedelta(hours=2)).folded == 1
    assert deliver_due(ctx, utc(2026, 3, 3, 7)).sent == 1
    texts = dm_texts(emulator, MENTOR)
    assert len(texts) == 5
    assert "nudge 3" in texts[4] and "nudge 4" in texts[4] and "message test:busy:later" in texts[4]
    assert (
        row(ctx, "test:busy:3").sent_ts == emulator.messages(emulator.dm_channel(MENTOR))[4]["ts"]
    )
    # The digest counted towards its own day: two more DMs fit, the third folds.
    for n in range(3):
        queue(ctx, f"test:day2:{n}", MENTOR, utc(2026, 3, 3, 9), recipient_user_id=MENTOR)
    assert deliver_due(ctx, utc(2026, 3, 3, 9)).folded == 1


def test_time_critical_dms_never_fold_nor_take_a_routine_place(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    day = utc(2026, 3, 2, 10)
    for n in range(4):
        queue(
            ctx,
            f"test:reminder:{n}",
            MENTOR,
            day,
            recipient_user_id=MENTOR,
            kind="meeting.reminder",
            expires_at=day + timedelta(hours=n + 1),
        )
    queue(ctx, "test:proposal", MENTOR, day, recipient_user_id=MENTOR, kind="pair.proposal")
    report = deliver_due(ctx, day)
    assert (report.sent, report.folded) == (5, 0)
    for n in range(4):
        queue(ctx, f"test:routine:{n}", MENTOR, day, recipient_user_id=MENTOR)
    report = deliver_due(ctx, day)
    assert (report.sent, report.folded) == (3, 1)  # the limit is all the routine ones'


def test_the_digest_keeps_each_items_content_and_button_and_says_what_passed(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    day = utc(2026, 3, 2, 10)
    for n in range(3):
        queue(ctx, f"test:fill:{n}", MENTOR, day, recipient_user_id=MENTOR)
    link = "<https://example.com/staff-engineer-path|The staff engineer's path>"
    answer = {"type": "button", "action_id": "reflection.review.open", "value": "7"}
    answer["text"] = {"type": "plain_text", "text": "Answer"}
    queue(
        ctx,
        "test:share",
        MENTOR,
        day,
        recipient_user_id=MENTOR,
        text="Noah shared an article with you",
        blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": f"Noah shared {link}"}},
            {"type": "actions", "elements": [answer]},
        ],
    )
    queue(
        ctx,
        "test:invite",
        MENTOR,
        day,
        recipient_user_id=MENTOR,
        text="Want to share this in the celebrations channel?",
        expires_at=day + timedelta(hours=3),
    )
    assert deliver_due(ctx, day).folded == 2
    assert deliver_due(ctx, utc(2026, 3, 3, 7)).sent == 1
    digest = emulator.messages(emulator.dm_channel(MENTOR))[-1]
    shown = str(digest["blocks"])
    assert "https://example.com/staff-engineer-path" in shown
    item = next(b for b in digest["blocks"] if "staff-engineer" in str(b))
    assert item["accessory"]["action_id"] == "reflection.review.open"
    assert "No longer needed (its moment passed): Want to share this" in shown
    assert row(ctx, "test:invite").status == OutboxStatus.EXPIRED


def test_exempt_messages_are_never_folded(ctx: Tandem, emulator: SlackEmulator) -> None:
    day = utc(2026, 3, 2, 10)
    for n in range(4):
        queue(ctx, f"test:mine:{n}", MENTOR, day, recipient_user_id=MENTOR, exempt_from_cap=True)
    assert deliver_due(ctx, day).sent == 4


def test_the_limit_holds_under_concurrent_senders(database_url: str, ctx: Tandem) -> None:
    engines = [create_db_engine(database_url) for _ in range(4)]
    granted: list[bool] = []
    lock = threading.Lock()

    def take(engine) -> None:  # type: ignore[no-untyped-def]
        for _ in range(3):
            with session_scope(engine) as session:
                ok = daily_limit.reserve(session, TEAM_ID, OUTSIDER, datetime(2026, 3, 2).date(), 3)
            with lock:
                granted.append(ok)

    threads = [threading.Thread(target=take, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert granted.count(True) == 3
    with ctx.session() as session:
        assert session.exec(select(DailyDmCount.sent)).one() == 3

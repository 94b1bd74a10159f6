"""Meetings of a pair that is no longer live can't change; notes and log dates are checked."""

import json
from typing import Any

from sqlmodel import select

from bot.meetings.blocks.messages import ICS
from bot.meetings.blocks.modals import (
    ACTIONS_BLOCK,
    DATE_BLOCK,
    DISCUSSED_BLOCK,
    LESSON_BLOCK,
    NOTE_LIMITS,
    REMINDERS_BLOCK,
    TIME_BLOCK,
)
from storage.models import Meeting, MeetingStatus, Pair, PairStatus
from tests.meetings.helpers import utc, weekly_pair
from tests.support.harness import MENTEE, MENTOR, Harness


def opened_modal(tandem: Harness, user_id: str, count: int = 1) -> dict[str, Any]:
    tandem.emulator.wait_for("views.open", count=count)
    view = tandem.emulator.open_view(user_id)
    assert view is not None
    return view


def met_meetings(tandem: Harness) -> list[Meeting]:
    with tandem.session() as session:
        return list(session.exec(select(Meeting).where(Meeting.status == MeetingStatus.MET)))


def without_max_length(view: dict[str, Any]) -> dict[str, Any]:
    """The view as a forged request (or a client ignoring max_length) would submit it."""
    view = {**json.loads(json.dumps(view)), "id": "VFORGED"}
    for block in view["blocks"]:
        (block.get("element") or {}).pop("max_length", None)
    return view


def set_status(tandem: Harness, pair_id: int, status: str) -> None:
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        pair.status = status
        session.add(pair)


def test_a_log_modal_for_a_pair_no_longer_live_records_nothing(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.clock.set(utc(2026, 3, 4, 15))
    tandem.slack.command(MENTEE, "log")
    log_view = opened_modal(tandem, MENTEE)
    tandem.slack.click(MENTOR, "meeting.settings", value=str(ref.pair_id))
    settings_view = opened_modal(tandem, MENTOR, count=2)
    for status in (PairStatus.ENDED, PairStatus.DECLINED, PairStatus.PROPOSED):
        set_status(tandem, ref.pair_id, status)
        answer = tandem.slack.submit_view(
            MENTEE, log_view, {DATE_BLOCK: "2026-03-04", TIME_BLOCK: "08:30"}
        )
        assert "isn't active" in str(answer.json["errors"]), status
        answer = tandem.slack.submit_view(MENTOR, settings_view, {REMINDERS_BLOCK: ["60"]})
        assert "isn't active" in answer.json["errors"][REMINDERS_BLOCK], status
    assert met_meetings(tandem) == []
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).reminder_offsets != [60]
    # The calendar file is not handed out either.
    tandem.emulator.clear_calls()
    tandem.slack.click(MENTOR, ICS, value=str(ref.pair_id))
    [reply] = tandem.emulator.wait_for("response_url")
    assert "isn't active" in reply.args["text"]
    assert tandem.emulator.files() == []


def test_long_notes_are_refused_with_the_limit_not_cut(tandem: Harness) -> None:
    weekly_pair(tandem)
    tandem.clock.set(utc(2026, 3, 4, 15))
    tandem.slack.command(MENTEE, "log")
    opened = opened_modal(tandem, MENTEE)
    tandem.slack.close_view(MENTEE, opened)
    view = without_max_length(opened)
    when = {DATE_BLOCK: "2026-03-04", TIME_BLOCK: "08:30"}
    too_long = {block: "x" * (limit + 1) for block, limit in NOTE_LIMITS.items()}
    answer = tandem.slack.submit_view(MENTEE, view, {**when, **too_long})
    errors = answer.json["errors"]
    assert "3,000 characters" in errors[DISCUSSED_BLOCK]
    assert "1,000 characters" in errors[LESSON_BLOCK]
    assert "2,000 characters" in errors[ACTIONS_BLOCK]
    assert met_meetings(tandem) == []
    just_fits = {block: "y" * limit for block, limit in NOTE_LIMITS.items()}
    assert tandem.slack.submit_view(MENTEE, view, {**when, **just_fits}).ok
    [logged] = met_meetings(tandem)
    assert len(logged.discussed) == 3000 and len(logged.next_actions) == 2000


def test_the_modal_inputs_say_the_same_limits(tandem: Harness) -> None:
    weekly_pair(tandem)
    tandem.slack.command(MENTEE, "log")
    view = opened_modal(tandem, MENTEE)
    limits = {
        b["block_id"]: b["element"].get("max_length")
        for b in view["blocks"]
        if b["block_id"] in NOTE_LIMITS
    }
    assert limits == NOTE_LIMITS


def test_a_meeting_before_the_pair_began_cannot_be_logged(tandem: Harness) -> None:
    weekly_pair(tandem)  # active since 2 March 2026, 09:00 UTC
    tandem.clock.set(utc(2026, 3, 4, 15))
    tandem.slack.command(MENTEE, "log")
    view = opened_modal(tandem, MENTEE)
    for day in ("1900-01-01", "2026-03-01"):
        answer = tandem.slack.submit_view(MENTEE, view, {DATE_BLOCK: day, TIME_BLOCK: "08:30"})
        assert "before your mentorship began" in answer.json["errors"][DATE_BLOCK], day
    assert met_meetings(tandem) == []
    # The day it began is fine, even at an earlier hour (the meeting that started it).
    assert tandem.slack.submit_view(
        MENTEE, view, {DATE_BLOCK: "2026-03-02", TIME_BLOCK: "02:00"}
    ).ok
    assert len(met_meetings(tandem)) == 1

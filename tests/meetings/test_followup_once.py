""" "Did you meet?" once per meeting in the pair's group DM: either member answers for both,
asked again once a day later when nobody did, then never; one outcome however many click."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from bot.meetings import keys
from storage.models import MeetingStatus, Person
from tests.meetings.helpers import meetings, queued, utc, weekly_pair
from tests.meetings.test_meeting_followup import MEETING, followup, meeting_row
from tests.support.harness import MENTEE, MENTOR, Harness

REASKED = utc(2026, 3, 10, 13)  # a day after the meeting's end, both awake


def questions(tandem: Harness, channel: str) -> list[dict[str, Any]]:
    """The "did you meet?" messages posted in `channel`, oldest first (answered or not)."""
    return [
        call.args
        for call in tandem.emulator.calls("chat.postMessage")
        if call.args.get("channel") == channel
        and '"meeting.followup"' in json.dumps(call.args.get("blocks"), default=str)
    ]


def test_asked_once_in_the_group_dm_then_once_more_then_never(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    first = followup(tandem, ref.home_channel_id)
    assert "Either of you can answer" in str(first["blocks"])
    # Not in anyone's own DM: the pair's conversation is where it is asked.
    assert questions(tandem, MENTOR) == [] and questions(tandem, MENTEE) == []
    assert "Ask me tomorrow" not in str(first["blocks"])  # the re-ask is "tomorrow"
    tandem.run_due(MEETING + timedelta(hours=23))
    assert len(questions(tandem, ref.home_channel_id)) == 1
    tandem.run_due(REASKED)
    asked = questions(tandem, ref.home_channel_id)
    assert len(asked) == 2
    assert "Asking once more" in str(asked[1]["blocks"])
    assert "won't ask again" in str(asked[1]["blocks"])
    for day in range(2, 7):  # the week the question stays worth asking
        tandem.run_due(MEETING + timedelta(days=day, hours=4))
    assert len(questions(tandem, ref.home_channel_id)) == 2
    [meeting] = [m for m in meetings(tandem, ref.pair_id) if m.starts_at == MEETING]
    assert {r.key for r in queued(tandem, keys.FOLLOWUP)} == {
        keys.followup_key(meeting),
        keys.followup_again_key(meeting),
    }


def test_one_member_answers_for_both_and_nobody_is_asked_again(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = followup(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(message, MENTEE, action_id="meeting.skip")
    tandem.emulator.wait_for("chat.update")
    # The one message, seen by both, now says who answered and what.
    shown = tandem.emulator.message(ref.home_channel_id, message["ts"])["text"]
    assert "Skipped" in shown and "Noah" in shown
    tandem.run_due(REASKED)
    tandem.run_due(REASKED + timedelta(days=2))
    assert len(questions(tandem, ref.home_channel_id)) == 1


def test_a_pair_that_left_the_last_question_unanswered_is_not_asked_twice_again(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    followup(tandem, ref.home_channel_id)
    tandem.run_due(REASKED)  # the first meeting: asked, then asked once more
    assert len(questions(tandem, ref.home_channel_id)) == 2
    # The next week's meeting: asked once; the lapse nudges speak to a pair gone quiet.
    tandem.run_due(MEETING + timedelta(weeks=1, hours=4))
    tandem.run_due(REASKED + timedelta(weeks=1))
    tandem.run_due(REASKED + timedelta(weeks=1, days=1))
    assert len(questions(tandem, ref.home_channel_id)) == 3


def _clicked_met_at_once(tandem: Harness, message: dict[str, Any], users: list[str]) -> None:
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        answers = list(
            pool.map(
                lambda user: tandem.slack.click_button_in(message, user, action_id="meeting.met"),
                users,
            )
        )
    assert all(answer.ok for answer in answers)
    tandem.emulator.wait_for("chat.update", count=len(users))


def test_both_clicking_met_at_once_or_twice_records_one_outcome(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = followup(tandem, ref.home_channel_id)
    _clicked_met_at_once(tandem, message, [MENTOR, MENTEE, MENTEE])  # and a double click
    [met] = [m for m in meetings(tandem, ref.pair_id) if m.status == MeetingStatus.MET]
    assert met.starts_at == MEETING
    with tandem.session() as session:
        by = session.get(Person, meeting_row(tandem, met.id).logged_by_id)
        assert by is not None
        name = {MENTOR: "Maya", MENTEE: "Noah"}[by.user_id]
    # Every update of the message names the one who recorded it, whoever clicked.
    updates = [c.args["text"] for c in tandem.emulator.calls("chat.update")]
    assert updates and all(f"marked by {name}" in text for text in updates), updates
    assert meeting_row(tandem, met.id).next_nudge_at is None
    tandem.run_due(REASKED)
    assert len(questions(tandem, ref.home_channel_id)) == 1

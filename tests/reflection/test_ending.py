"""Ending well: graduate with a thank-you, or close privately; every nudge stops; renewal."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.delivery.service import enqueue
from bot.reflection.programme import programme_health
from storage.models import OutboxStatus, Pair, PairStatus, Retrospective
from tests.reflection.helpers import (
    add_meeting,
    click_modal,
    command_modal,
    dm_text,
    dms,
    outbox,
    reply_text,
    wait_dm,
)
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness


def queue_meeting_reminder(tandem: Harness, pair_id: int) -> None:
    """A nudge another area queued for next week (it must never go out after the end)."""
    with tandem.session() as session:
        enqueue(
            session,
            team_id=tandem.team_id,
            key=f"meeting.reminder:{pair_id}:next",
            kind="meeting.reminder",
            channel=MENTEE,
            text="Your meeting is tomorrow",
            deliver_after=START + timedelta(days=6),
            pair_id=pair_id,
        )


def test_graduation_sends_the_thank_you_and_stops_every_nudge(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    queue_meeting_reminder(tandem, ref.pair_id)
    view = command_modal(tandem, MENTOR, "end")
    answer = tandem.slack.submit_view(
        MENTOR,
        view,
        {
            "reflection.how": "graduate",
            "reflection.reflection": "Watching Noah run the launch was the highlight.",
            "reflection.thank_you": "Thank you for your curiosity, Noah!",
        },
    )
    confirmation = str(answer.json["view"])
    assert "graduated" in confirmation and "nudge has stopped" in confirmation
    assert f"`/tandem pair` <@{MENTOR}> <@{MENTEE}>" in confirmation  # how to start again
    dm = wait_dm(tandem, MENTEE, "marked your mentorship as graduated")
    assert "Thank you for your curiosity, Noah!" in str(dm["blocks"])

    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        assert (pair.status, pair.end_kind, pair.ended_at) == ("ended", "graduate", START)
        assert pair.next_feedback_prompt_at is None and pair.next_review_at is None
    reminder = next(r for r in outbox(tandem, ref.pair_id) if r.kind == "meeting.reminder")
    assert reminder.status == OutboxStatus.EXPIRED

    tandem.stop_delivery()
    before = len(dms(tandem, MENTOR)), len(dms(tandem, MENTEE))
    for days in (7, 30, 31, 92, 200, 400):
        tandem.run_due(START + timedelta(days=days))
    assert (len(dms(tandem, MENTOR)), len(dms(tandem, MENTEE))) == before
    assert "Your meeting is tomorrow" not in dm_text(tandem, MENTEE)


def test_the_partner_adds_closing_words_once(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTEE, "end")
    tandem.slack.submit_view(MENTEE, view, {"reflection.how": "graduate"})
    dm = wait_dm(tandem, MENTOR, "marked your mentorship as graduated")
    note = click_modal(tandem, MENTOR, dm, "reflection.end.note")
    tandem.slack.submit_view(
        MENTOR, note, {"reflection.thank_you": "It was a joy. Go lead that team!"}
    )
    wait_dm(tandem, MENTEE, "It was a joy")
    again = click_modal(tandem, MENTOR, dm, "reflection.end.note")
    answer = tandem.slack.submit_view(MENTOR, again, {"reflection.reflection": "More words"})
    assert "already written your closing words" in str(answer.json["view"])


def choose(tandem: Harness, user: str, view: dict, how: str) -> dict:
    """Pick Graduate or Close in the end modal; returns the modal as Tandem updated it."""
    before = len(tandem.emulator.calls("views.update"))
    assert tandem.slack.click(user, "reflection.how", value=how, view=view).ok
    tandem.emulator.wait_for("views.update", count=before + 1)
    return tandem.emulator.open_view(user)


def reason_shown(view: dict) -> bool:
    return any(b.get("block_id") == "reason" for b in view["blocks"])


def test_the_private_reason_appears_only_once_close_is_chosen(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTEE, "end")
    assert not reason_shown(view)
    closing = choose(tandem, MENTEE, view, "close")
    assert reason_shown(closing) and closing["id"] == view["id"]
    graduating = choose(tandem, MENTEE, closing, "graduate")
    assert not reason_shown(graduating)


def test_closing_keeps_the_reason_private(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    view = choose(tandem, MENTEE, command_modal(tandem, MENTEE, "end"), "close")
    tandem.slack.submit_view(
        MENTEE,
        view,
        {"reflection.how": "close", "reflection.reason": "PRIVATE-REASON: too little time"},
    )
    dm = wait_dm(tandem, MENTOR, "closed your mentorship")
    assert "PRIVATE-REASON" not in dm_text(tandem, MENTOR)
    assert "reflection.end.note" in str(dm["blocks"])
    mine = tandem.slack.command(MENTEE, "review history").json
    theirs = tandem.slack.command(MENTOR, "review history").json
    assert "PRIVATE-REASON" in str(mine["blocks"])
    assert "PRIVATE-REASON" not in str(theirs["blocks"]) and "closed" in str(theirs["blocks"])
    with tandem.session() as session:
        stats = programme_health(session, tandem.team_id, START)
        assert stats.closed_pairs == 1 and "PRIVATE" not in "\n".join(stats.lines())
        assert session.get(Pair, ref.pair_id).end_kind == "close"


def test_a_reason_with_graduate_is_a_field_error(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    # Close chosen (the reason shows), then Graduate picked without Slack telling us (a
    # crafted or stale submission): the reason is refused, not silently kept.
    view = choose(tandem, MENTEE, command_modal(tandem, MENTEE, "end"), "close")
    answer = tandem.slack.submit_view(
        MENTEE, view, {"reflection.how": "graduate", "reflection.reason": "x"}
    )
    assert answer.json == {
        "response_action": "errors",
        "errors": {"reason": "A private reason is only for closing: clear it, or choose Close."},
    }
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).status == PairStatus.ACTIVE
        assert session.exec(select(Retrospective)).all() == []


def test_old_buttons_after_the_end_explain_and_change_nothing(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    add_meeting(tandem, ref.pair_id, START)  # prompts count from the first meeting held
    tandem.run_due(START + timedelta(weeks=4, days=1))
    prompt = wait_dm(tandem, MENTEE, "apply")
    tandem.slack.submit_view(
        MENTOR, command_modal(tandem, MENTOR, "end"), {"reflection.how": "close"}
    )
    tandem.slack.click_button_in(prompt, MENTEE, action_id="reflection.feedback.open.applied")
    tandem.emulator.wait_for("response_url")
    assert "has ended" in str(tandem.emulator.ephemeral_messages(user=MENTEE)[-1])
    assert "not in an active mentoring pair" in reply_text(tandem, MENTEE, "feedback")
    assert "not in an active mentoring pair" in reply_text(tandem, MENTEE, "end")
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).status == "ended"


def test_the_same_two_can_start_again_with_a_new_pair(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.slack.submit_view(
        MENTOR, command_modal(tandem, MENTOR, "end"), {"reflection.how": "graduate"}
    )
    with tandem.session() as session:
        old = session.get(Pair, ref.pair_id)
        again = Pair(
            team_id=old.team_id,
            mentor_id=old.mentor_id,
            mentee_id=old.mentee_id,
            proposed_by_id=old.mentee_id,
        )
        session.add(again)
    with tandem.session() as session:
        assert len(session.exec(select(Pair)).all()) == 2
    with pytest.raises(IntegrityError), tandem.session() as session:
        # while the renewal is open, a third pair of the same two is refused
        session.add(
            Pair(
                team_id=old.team_id,
                mentor_id=old.mentor_id,
                mentee_id=old.mentee_id,
                proposed_by_id=old.mentor_id,
            )
        )


def test_the_history_dates_the_end_on_each_readers_own_calendar(tandem: Harness) -> None:
    create_active_pair(tandem)
    # 02:00 UTC on 3 March 2026: already the 3rd in Berlin (the mentor), still the 2nd in
    # New York (the mentee). Where Slack shows the fallback, each reads their own date.
    tandem.clock.set(datetime(2026, 3, 3, 2, tzinfo=UTC))
    view = choose(tandem, MENTEE, command_modal(tandem, MENTEE, "end"), "close")
    tandem.slack.submit_view(MENTEE, view, {"reflection.how": "close"})
    mine = str(tandem.slack.command(MENTEE, "review history").json["blocks"])
    theirs = str(tandem.slack.command(MENTOR, "review history").json["blocks"])
    assert "closed <!date^" in mine and "|2026-03-02>" in mine
    assert "closed <!date^" in theirs and "|2026-03-03>" in theirs

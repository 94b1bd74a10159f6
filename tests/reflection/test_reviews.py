"""Periodic reviews: private answers, shown side by side only once both have answered."""

from datetime import timedelta

from sqlmodel import select

from bot.reflection.review_rules import suggested_actions, suggested_next_steps
from storage.models import Review, ReviewAnswer, Workspace
from tests.reflection.helpers import (
    PAUSED,
    add_meeting,
    click_modal,
    command_modal,
    dm_text,
    dms,
    reply_text,
    set_status,
    wait_dm,
)
from tests.support.factories import DEFAULT_CHARTER, create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness

MAYA_ANSWERS = {
    "reflection.value": "4",
    "reflection.time": "right",
    "reflection.goals": "partly",
    "reflection.decision": "continue",
    "reflection.note": "Maya-note: loving the design sessions",
}
NOAH_ANSWERS = {
    "reflection.value": "3",
    "reflection.time": "too_much",
    "reflection.goals": "yes",
    "reflection.decision": "adjust",
    "reflection.note": "Noah-note: fewer but longer meetings?",
}


def test_answers_stay_private_until_both_have_answered(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTOR, "review")
    answer = tandem.slack.submit_view(MENTOR, view, MAYA_ANSWERS)
    assert answer.json["response_action"] == "update"
    waiting = str(tandem.emulator.open_view(MENTOR))
    assert "Waiting for your partner" in waiting and "Maya-note" in waiting

    invite = wait_dm(tandem, MENTEE, "has answered your mentorship review")
    assert "Maya-note" not in dm_text(tandem, MENTEE)
    again = tandem.slack.command(MENTOR, "review").json
    assert "waiting" in again["text"].lower() and "Maya-note" in str(again["blocks"])

    view = click_modal(tandem, MENTEE, invite, "reflection.review.open")
    tandem.slack.submit_view(MENTEE, view, NOAH_ANSWERS)
    results = str(tandem.emulator.open_view(MENTEE))
    assert "Maya-note" in results and "Noah-note" in results
    assert "Suggested next steps" in results and "cadence" in results

    for person in (MENTOR, MENTEE):
        dm = wait_dm(tandem, person, "both answers are in")
        assert "Maya-note" in str(dm["blocks"]) and "Noah-note" in str(dm["blocks"])
        assert "Relationship health" in str(dm["blocks"])
    with tandem.session() as session:
        review = session.exec(select(Review)).one()
        assert review.round == 1 and review.completed_at == START


def test_before_the_partner_answers_the_first_sees_nothing_of_theirs(tandem: Harness) -> None:
    """Even when the partner answers second in the same round, the first never saw it early."""
    ref = create_active_pair(tandem)
    add_meeting(tandem, ref.pair_id, START)  # the first review counts from it (issue 17)
    tandem.run_due(START + timedelta(days=92))  # three months: both are invited
    mentor_invite = wait_dm(tandem, MENTOR, "Time for your mentorship review")
    mentee_invite = wait_dm(tandem, MENTEE, "Time for your mentorship review")
    view = click_modal(tandem, MENTEE, mentee_invite, "reflection.review.open")
    tandem.slack.submit_view(MENTEE, view, NOAH_ANSWERS)
    assert "Noah-note" not in dm_text(tandem, MENTOR)
    assert "Waiting for your partner" in str(tandem.emulator.open_view(MENTEE))

    view = click_modal(tandem, MENTOR, mentor_invite, "reflection.review.open")
    assert view["callback_id"] == "reflection.review"
    tandem.slack.submit_view(MENTOR, view, MAYA_ANSWERS)
    wait_dm(tandem, MENTOR, "Noah-note")
    old = click_modal(tandem, MENTEE, mentee_invite, "reflection.review.open")
    assert old["callback_id"] == "reflection.review.results"


def test_reviews_come_every_three_months_unless_charter_or_workspace_say_otherwise(
    tandem: Harness,
) -> None:
    for ref in (
        create_active_pair(tandem),
        create_active_pair(
            tandem, mentee="UMENTEE02", charter={**DEFAULT_CHARTER, "review_interval_months": 1}
        ),
    ):
        add_meeting(tandem, ref.pair_id, START)
    tandem.stop_delivery()
    tandem.run_due(START + timedelta(days=31))  # 2 April: one month on
    assert "Time for your mentorship review" in dm_text(tandem, "UMENTEE02")
    assert "Time for your mentorship review" not in dm_text(tandem, MENTEE)
    tandem.run_due(START + timedelta(days=92))  # 2 June
    assert "Time for your mentorship review" in dm_text(tandem, MENTEE)
    tandem.run_due(START + timedelta(days=93))
    assert sum("Time for your" in m["text"] for m in dms(tandem, MENTEE)) == 1


def test_the_workspace_setting_is_the_default(tandem: Harness) -> None:
    with tandem.session() as session:
        session.add(Workspace(team_id=tandem.team_id, review_interval_months=2))
    add_meeting(tandem, create_active_pair(tandem).pair_id, START)
    tandem.stop_delivery()
    tandem.run_due(START + timedelta(days=58))
    assert dms(tandem, MENTEE) == []
    tandem.run_due(START + timedelta(days=62))
    assert "Time for your mentorship review" in dm_text(tandem, MENTEE)


def test_no_review_invitation_while_paused(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    set_status(tandem, ref.pair_id, PAUSED)
    tandem.run_due(START + timedelta(days=95))
    assert dms(tandem, MENTOR) == [] and dms(tandem, MENTEE) == []


def test_missing_answers_are_field_errors(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTOR, "review")
    answer = tandem.slack.submit_view(MENTOR, view, {"reflection.value": "4"}, check_required=False)
    assert answer.json["response_action"] == "errors"
    assert set(answer.json["errors"]) == {"time", "goals", "decision"}
    with tandem.session() as session:
        assert session.exec(select(ReviewAnswer)).all() == []


def test_both_opening_a_review_at_once_share_one_round(tandem: Harness) -> None:
    create_active_pair(tandem)
    first = command_modal(tandem, MENTOR, "review")
    second = command_modal(tandem, MENTEE, "review")
    tandem.slack.submit_view(MENTOR, first, MAYA_ANSWERS)
    tandem.slack.submit_view(MENTEE, second, NOAH_ANSWERS)
    assert "Maya-note" in str(tandem.emulator.open_view(MENTEE))
    view = command_modal(tandem, MENTOR, "review")  # the next round starts afresh
    assert view["callback_id"] == "reflection.review"
    with tandem.session() as session:
        assert len(session.exec(select(Review)).all()) == 1


def test_a_second_answer_to_the_same_round_is_refused(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTOR, "review")
    tandem.slack.submit_view(MENTOR, view, MAYA_ANSWERS)
    tandem.slack.close_view(MENTOR, tandem.emulator.open_view(MENTOR))
    with tandem.session() as session:
        review = session.exec(select(Review)).one()
    metadata = view["private_metadata"].replace('"review":null', f'"review":{review.id}')
    replayed = {**view, "id": "VREPLAYED", "private_metadata": metadata}
    answer = tandem.slack.submit_view(MENTOR, replayed, {**MAYA_ANSWERS, "reflection.value": "1"})
    assert "You've answered this review" in str(answer.json["view"])
    with tandem.session() as session:
        assert [a.value_score for a in session.exec(select(ReviewAnswer))] == [4]


def test_review_history_shows_completed_rounds(tandem: Harness) -> None:
    create_active_pair(tandem)
    tandem.slack.submit_view(MENTOR, command_modal(tandem, MENTOR, "review"), MAYA_ANSWERS)
    tandem.slack.submit_view(MENTEE, command_modal(tandem, MENTEE, "review"), NOAH_ANSWERS)
    history = tandem.slack.command(MENTEE, "review history").json
    assert "Review round 1" in str(history["blocks"]) and "Maya-note" in str(history["blocks"])
    assert "No reviews" in reply_text(tandem, "UOUTSIDER1", "review history")


class Answer:
    def __init__(self, value: int, time: str, goals: str, decision: str) -> None:
        self.value_score, self.time_commitment = value, time
        self.goals_still_right, self.decision = goals, decision


def test_next_steps_follow_the_answers() -> None:
    happy = Answer(4, "right", "yes", "continue")
    assert suggested_next_steps([happy, happy]) == ["You're on track: keep going as you are."]
    unhappy = Answer(2, "too_much", "no", "conclude")
    steps = " ".join(suggested_next_steps([happy, unhappy]))
    for hint in ("End", "Revise your charter", "cadence", "goals"):
        assert hint in steps
    pausing = Answer(3, "right", "yes", "pause")
    assert "Pause" in " ".join(suggested_next_steps([happy, pausing]))
    # The results carry a button for each of these (see test_review_next_steps.py).
    assert suggested_actions([happy, happy]) == []
    assert suggested_actions([happy, unhappy]) == ["revise", "end"]
    assert suggested_actions([happy, pausing]) == ["pause"]
    assert suggested_actions([Answer(4, "right", "yes", "adjust")]) == ["revise"]


def test_the_first_review_counts_from_the_first_meeting_held_not_the_pairing(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(START + timedelta(days=95))  # three months paired, never met: no review
    assert dms(tandem, MENTEE) == []
    first = START + timedelta(days=96)
    add_meeting(tandem, ref.pair_id, first)
    tandem.run_due(first + timedelta(days=85))
    assert dms(tandem, MENTEE) == []
    tandem.run_due(first + timedelta(days=93))  # three months after the first meeting
    assert "Time for your mentorship review" in dm_text(tandem, MENTEE)

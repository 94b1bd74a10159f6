"""Scheduled feedback prompts: on the charter's rhythm counted from the first meeting held,
once each, never while paused or ended, never to a pair that has not met."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage.models import OutboxMessage, Pair
from tests.reflection.helpers import (
    ACTIVE,
    PAUSED,
    add_meeting,
    click_modal,
    dm_text,
    dms,
    set_status,
    wait_dm,
)
from tests.support.factories import DEFAULT_CHARTER, PairRef, create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness

# Prompts fall due at the UTC midnight after the step (a person's prompts then come as one
# message in their morning); by 14:00 UTC both members (Berlin, New York) are awake.
DUE = datetime(2026, 3, 31, 0, 0, tzinfo=UTC)  # START (a Monday, 14:00) + 4 weeks, next day
AWAKE = timedelta(hours=14)
MENTOR_PROMPT = "how can I support you better?"
MENTEE_PROMPT = "how did you apply"


def met_pair(tandem: Harness, **charter: object) -> PairRef:
    """An active pair that held its first meeting at START (the prompts' rhythm begins)."""
    ref = create_active_pair(tandem, charter={**DEFAULT_CHARTER, **charter})
    add_meeting(tandem, ref.pair_id, START)
    return ref


def prompts_to(tandem: Harness, user_id: str, words: str) -> int:
    return sum(
        words in m["text"].lower() or words in str(m["blocks"]) for m in dms(tandem, user_id)
    )


def test_both_are_prompted_every_four_weeks_by_default_once_each(tandem: Harness) -> None:
    ref = met_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(DUE - timedelta(minutes=1))
    assert dms(tandem, MENTOR) == [] and dms(tandem, MENTEE) == []

    tandem.run_due(DUE)
    tandem.run_due(DUE + AWAKE)  # held until each one's morning; a second tick adds nothing
    assert prompts_to(tandem, MENTOR, "support you better") == 1
    assert prompts_to(tandem, MENTEE, "apply") == 1
    assert "Maya" in dm_text(tandem, MENTEE) and "Noah" in dm_text(tandem, MENTOR)
    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        assert pair.next_feedback_prompt_at == DUE + timedelta(weeks=4)

    tandem.run_due(DUE + timedelta(weeks=4) + AWAKE)
    assert prompts_to(tandem, MENTOR, "support you better") == 2


def test_the_charter_sets_the_rhythm(tandem: Harness) -> None:
    met_pair(tandem, feedback_frequency_weeks=2)
    tandem.stop_delivery()
    tandem.run_due(DUE - timedelta(weeks=2, minutes=1))
    assert dms(tandem, MENTOR) == []
    tandem.run_due(DUE - timedelta(weeks=2) + AWAKE)
    assert prompts_to(tandem, MENTOR, "support you better") == 1


def test_after_downtime_one_prompt_not_one_per_missed_step(tandem: Harness) -> None:
    met_pair(tandem, feedback_frequency_weeks=1)
    tandem.stop_delivery()
    tandem.run_due(START + timedelta(weeks=1, days=3))
    tandem.run_due(START + timedelta(weeks=1, days=4))
    assert prompts_to(tandem, MENTOR, "support you better") == 1


def test_no_prompt_while_paused_and_the_held_one_after_resume(tandem: Harness) -> None:
    ref = met_pair(tandem)
    tandem.stop_delivery()
    set_status(tandem, ref.pair_id, PAUSED)
    tandem.run_due(START + timedelta(weeks=4))
    tandem.run_due(START + timedelta(weeks=4, days=2))
    assert dms(tandem, MENTOR) == [] and dms(tandem, MENTEE) == []

    set_status(tandem, ref.pair_id, ACTIVE)
    tandem.run_due(START + timedelta(weeks=4, days=3))
    assert prompts_to(tandem, MENTOR, "support you better") == 1


def test_a_prompt_that_fell_in_a_long_pause_is_skipped(tandem: Harness) -> None:
    ref = met_pair(tandem)
    tandem.stop_delivery()
    set_status(tandem, ref.pair_id, PAUSED)
    tandem.run_due(START + timedelta(weeks=4))
    set_status(tandem, ref.pair_id, ACTIVE)
    tandem.run_due(START + timedelta(weeks=6))
    assert dms(tandem, MENTOR) == []
    tandem.run_due(DUE + timedelta(weeks=4) + AWAKE)
    assert prompts_to(tandem, MENTOR, "support you better") == 1


def test_the_mentor_asks_and_the_answer_comes_back(tandem: Harness) -> None:
    met_pair(tandem)
    tandem.run_due(DUE + AWAKE)
    prompt = wait_dm(tandem, MENTOR, "support you better")
    tandem.slack.click_button_in(prompt, MENTOR, action_id="reflection.feedback.ask")
    ask = wait_dm(tandem, MENTEE, "Maya* asks")
    tandem.emulator.wait_for("response_url")
    assert "You asked" in str(tandem.emulator.message(prompt["channel"], prompt["ts"])["blocks"])

    view = click_modal(tandem, MENTEE, ask, "reflection.feedback.open.support")
    kind = next(b for b in view["blocks"] if b.get("block_id") == "kind")
    assert kind["element"]["initial_option"]["value"] == "support"
    tandem.slack.submit_view(
        MENTEE,
        view,
        {"reflection.text": "Pair with me on one review.", "reflection.visibility": "partner"},
    )
    wait_dm(tandem, MENTOR, "Pair with me on one review")


def test_the_mentee_shares_how_advice_went_from_the_prompt(tandem: Harness) -> None:
    met_pair(tandem)
    tandem.run_due(DUE + AWAKE)
    prompt = wait_dm(tandem, MENTEE, "apply")
    view = click_modal(tandem, MENTEE, prompt, "reflection.feedback.open.applied")
    tandem.slack.submit_view(
        MENTEE,
        view,
        {
            "reflection.text": "I split the RFC in two; it landed.",
            "reflection.visibility": "partner",
        },
    )
    dm = wait_dm(tandem, MENTOR, "split the RFC")
    assert "how they applied your advice" in str(dm["blocks"])


def test_ended_pairs_are_never_prompted(tandem: Harness) -> None:
    ref = met_pair(tandem)
    tandem.stop_delivery()
    set_status(tandem, ref.pair_id, "ended")
    tandem.run_due(START + timedelta(weeks=12))
    with tandem.session() as session:
        assert session.exec(select(OutboxMessage)).all() == []


def test_the_rhythm_starts_at_the_first_meeting_and_a_pair_that_never_met_is_not_prompted(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    # Paired at START, not met for three weeks: nothing to look back on at four weeks.
    tandem.run_due(DUE + AWAKE)
    assert dms(tandem, MENTOR) == [] and dms(tandem, MENTEE) == []
    add_meeting(tandem, ref.pair_id, START + timedelta(weeks=3))
    tandem.run_due(DUE + timedelta(weeks=1) + AWAKE)  # the next look: armed from that meeting
    due = DUE + timedelta(weeks=3)  # four weeks after the first meeting, the next midnight
    tandem.run_due(due - timedelta(minutes=1))
    assert dms(tandem, MENTOR) == []
    tandem.run_due(due + AWAKE)
    assert prompts_to(tandem, MENTOR, "support you better") == 1
    assert prompts_to(tandem, MENTEE, "apply") == 1

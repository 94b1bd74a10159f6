"""Giving back: the mentee is invited when the giving is lopsided (at most monthly), and the
mentor gets a digest of what they received."""

from datetime import timedelta

from tests.reflection.helpers import PAUSED, click_modal, dms, reply_text, set_status, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness

INVITE = "Mentoring works both ways"
DIGEST = "Giving back goes both ways"


def count(tandem: Harness, user_id: str, words: str) -> int:
    return sum(words in str(m["blocks"]) for m in dms(tandem, user_id))


def test_a_mentee_is_invited_after_the_mentor_shared_three_times(tandem: Harness) -> None:
    create_active_pair(tandem)
    for tip in ("Write it down", "Ask why twice", "Timebox spikes"):
        reply_text(tandem, MENTOR, f"share {tip}")
    wait_dm(tandem, MENTEE, "Timebox spikes")

    tandem.run_due(START + timedelta(days=30))
    invite = wait_dm(tandem, MENTEE, INVITE)
    assert "shared 3 things with you lately" in str(invite["blocks"])
    tandem.run_due(START + timedelta(days=30, hours=1))
    assert count(tandem, MENTEE, INVITE) == 1

    view = click_modal(tandem, MENTEE, invite, "reflection.share.open")
    tandem.slack.submit_view(
        MENTEE, view, {"reflection.text": "A pairing tool: tuple.app", "reflection.kind": "tool"}
    )
    wait_dm(tandem, MENTOR, "tuple.app")

    tandem.run_due(START + timedelta(days=60))
    digest = wait_dm(tandem, MENTOR, DIGEST)
    assert "a tool: A pairing tool: tuple.app" in str(digest["blocks"])
    assert "you've shared 3 things with Noah, and Noah 1 with you" in str(digest["blocks"])
    assert count(tandem, MENTEE, INVITE) == 1  # nothing new was lopsided since the invite


def test_balanced_giving_gets_no_invitation_and_no_empty_digest(tandem: Harness) -> None:
    create_active_pair(tandem)
    tandem.stop_delivery()
    reply_text(tandem, MENTOR, "share One")
    reply_text(tandem, MENTEE, "share Two")
    tandem.run_due(START + timedelta(days=30))
    assert count(tandem, MENTEE, INVITE) == 0
    assert count(tandem, MENTOR, DIGEST) == 1
    tandem.run_due(START + timedelta(days=60))
    assert count(tandem, MENTOR, DIGEST) == 1  # nothing new received: no digest


def test_nothing_while_paused(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    for tip in ("One", "Two", "Three"):
        reply_text(tandem, MENTOR, f"share {tip}")
    set_status(tandem, ref.pair_id, PAUSED)
    tandem.run_due(START + timedelta(days=31))
    assert count(tandem, MENTEE, INVITE) == 0

"""Proposing a pair and answering it: consent from both, kind declines, buttons that went stale."""

import time

from sqlmodel import select

from storage.models import OutboxMessage, OutboxStatus, Pair, PairStatus
from tests.pairs.steps import click, click_in_dm, delivered, propose, the_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, Harness


def private_answer(tandem: Harness, user: str, action_id: str, pair_id: int) -> str:
    """`user` clicks a copy of a button (no message to update); the private answer's text."""
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click(user, action_id, str(pair_id))
    tandem.emulator.wait_for("response_url", count=before + 1)
    return tandem.emulator.ephemeral_messages(user=user)[-1]["text"]


def test_an_admin_pairs_two_others_and_both_are_asked(tandem: Harness) -> None:
    reply = propose(tandem, ADMIN, MENTOR, MENTEE).json["text"]
    assert f"asked <@{MENTOR}> (mentor) and <@{MENTEE}> (mentee)" in reply
    to_mentor = delivered(tandem, "pair.proposal", MENTOR)[0]
    to_mentee = delivered(tandem, "pair.proposal", MENTEE)[0]
    assert "you'd be the mentor" in to_mentor["text"]
    assert "you'd be the mentee" in to_mentee["text"]

    click(tandem, to_mentor, MENTOR, "pair.accept")
    assert (
        "When <@UMENTEE01> accepts too"
        in tandem.emulator.message(to_mentor["channel"], to_mentor["ts"])["text"]
    )
    assert the_pair(tandem).status == PairStatus.PROPOSED
    click(tandem, to_mentee, MENTEE, "pair.accept")

    pair = the_pair(tandem)
    assert pair.status == PairStatus.ACTIVE and pair.home_channel_id.startswith("G")
    assert delivered(tandem, "pair.welcome", pair.home_channel_id)
    notice = delivered(tandem, "pair.activated", ADMIN)[0]
    assert "both accepted" in notice["text"]


def test_the_proposer_is_not_asked_again(tandem: Harness) -> None:
    tandem.stop_delivery()
    propose(tandem, MENTEE, MENTOR, MENTEE)  # Noah asks Maya to mentor him
    tandem.run_due()
    with tandem.session() as session:
        queued = session.exec(select(OutboxMessage)).all()
    assert [row.channel for row in queued] == [MENTOR]
    assert "would like you to be their mentor" in queued[0].text
    pair = the_pair(tandem)
    assert pair.mentee_accepted_at is not None and pair.mentor_accepted_at is None


def test_a_decline_closes_it_and_nobody_learns_who(tandem: Harness) -> None:
    propose(tandem, ADMIN, MENTOR, MENTEE)
    to_mentor = delivered(tandem, "pair.proposal", MENTOR)[0]
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.decline")

    assert the_pair(tandem).status == PairStatus.DECLINED
    for user in (ADMIN, MENTOR):
        notice = delivered(tandem, "pair.declined", user)[0]["text"]
        assert "won't go ahead" in notice
        assert "declined" not in notice and "said no" not in notice
    declined_dm = tandem.emulator.messages(MENTEE)[0]
    assert "You declined" in declined_dm["text"] and "pair.accept" not in str(declined_dm)

    # Maya's DM still has buttons; pressing Accept now changes nothing and says why.
    click(tandem, to_mentor, MENTOR, "pair.accept")
    assert (
        "closed; it won't go ahead"
        in tandem.emulator.message(to_mentor["channel"], to_mentor["ts"])["text"]
    )
    assert the_pair(tandem).status == PairStatus.DECLINED
    assert not tandem.emulator.calls("conversations.open")


def test_a_decline_stops_the_other_invitation_that_has_not_gone_out(tandem: Harness) -> None:
    tandem.stop_delivery()
    propose(tandem, ADMIN, MENTOR, MENTEE)
    pair_id = the_pair(tandem).id
    assert "You declined" in private_answer(tandem, MENTEE, "pair.decline", pair_id)
    tandem.run_due()
    with tandem.session() as session:
        rows = {row.key: row.status for row in session.exec(select(OutboxMessage))}
    assert rows[f"pair.proposal:{pair_id}:{MENTOR}"] == OutboxStatus.EXPIRED
    assert rows[f"pair.declined:{pair_id}:{ADMIN}"] == OutboxStatus.SENT
    assert not [m for m in tandem.emulator.messages(MENTOR) if "pair.accept" in str(m)]


def test_accepting_twice_does_nothing_more(tandem: Harness) -> None:
    propose(tandem, ADMIN, MENTOR, MENTEE)
    click_in_dm(tandem, MENTOR, "pair.proposal", "pair.accept")
    pair_id = the_pair(tandem).id
    again = private_answer(tandem, MENTOR, "pair.accept", pair_id)
    assert "You've already accepted. I'm waiting for <@UMENTEE01>" in again

    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.accept")
    again = private_answer(tandem, MENTEE, "pair.accept", pair_id)
    assert "already paired" in again
    assert len(tandem.emulator.calls("conversations.open")) == 1
    assert len(delivered(tandem, "pair.welcome")) == 1


def test_declining_an_active_pair_does_not_end_it(tandem: Harness) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.accept")
    answer = private_answer(tandem, MENTEE, "pair.decline", the_pair(tandem).id)
    assert "already paired" in answer
    assert the_pair(tandem).status == PairStatus.ACTIVE


def test_after_a_decline_the_two_can_be_proposed_again(tandem: Harness) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.decline")
    reply = propose(tandem, MENTOR, MENTOR, MENTEE).json["text"]
    assert "I've asked" in reply
    with tandem.session() as session:
        statuses = sorted(p.status for p in session.exec(select(Pair)))
    assert statuses == [PairStatus.DECLINED, PairStatus.PROPOSED]


def test_buttons_of_an_ended_pair_do_nothing_and_say_why(tandem: Harness) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    proposal = delivered(tandem, "pair.proposal", MENTEE)[0]
    click(tandem, proposal, MENTEE, "pair.accept")
    welcome = delivered(tandem, "pair.welcome")[0]
    with tandem.session() as session:
        pair = session.exec(select(Pair)).one()
        pair.status = PairStatus.ENDED  # as /tandem end leaves it
        session.add(pair)
    assert "has ended" in private_answer(tandem, MENTEE, "pair.accept", pair.id)
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click_button_in(welcome, MENTOR, action_id="charter.open")
    tandem.emulator.wait_for("response_url", count=before + 1)
    answer = tandem.emulator.ephemeral_messages(user=MENTOR)[-1]["text"]
    assert "isn't active any more" in answer
    assert not tandem.emulator.calls("views.open")


def test_a_proposal_that_meets_a_rate_limit_then_a_server_error_still_arrives_in_seconds(
    tandem: Harness,
) -> None:
    """Slack says "wait a second" (429, Retry-After: 1), then fails once (503): both people
    still have their proposal within five seconds, each exactly once."""
    tandem.emulator.fail_next("chat.postMessage", status=429, retry_after=1)
    tandem.emulator.fail_next("chat.postMessage", status=503)
    started = time.monotonic()
    assert propose(tandem, ADMIN, MENTOR, MENTEE).ok
    delivered(tandem, "pair.proposal", MENTOR)
    delivered(tandem, "pair.proposal", MENTEE)
    assert time.monotonic() - started < 5
    calls = tandem.emulator.calls("chat.postMessage")
    assert [c.status for c in calls if c.injected] == [429, 503]
    assert sorted(c.args["channel"] for c in calls if c.status == 200) == sorted([MENTOR, MENTEE])

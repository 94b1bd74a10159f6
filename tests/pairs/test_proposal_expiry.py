"""A proposal nobody finishes answering: reminded once after three days, closed after fourteen,
and then the same two can be proposed again."""

from datetime import timedelta

from sqlmodel import select

from storage.models import Pair, PairStatus
from tests.pairs.steps import click, click_in_dm, delivered, outbox_keys, propose, the_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, START, Harness


def test_an_unanswered_proposal_is_reminded_once_then_expires(tandem: Harness) -> None:
    propose(tandem, ADMIN, MENTOR, MENTEE)
    click_in_dm(tandem, MENTOR, "pair.proposal", "pair.accept")  # Maya answers, Noah does not

    tandem.run_due(START + timedelta(days=2, hours=23))
    assert outbox_keys(tandem, "pair.proposal_reminder") == []

    tandem.run_due(START + timedelta(days=3))
    reminder = delivered(tandem, "pair.proposal_reminder", MENTEE)[0]
    assert "still waiting for your answer" in reminder["text"]
    assert "11 more days" in reminder["text"]
    tandem.run_due(START + timedelta(days=5))
    tandem.run_due(START + timedelta(days=13, hours=23))
    # Only the one who has not answered is reminded, and only once.
    assert outbox_keys(tandem, "pair.proposal_reminder") == [
        f"pair.proposal_reminder:{the_pair(tandem).id}:{MENTEE}"
    ]
    assert the_pair(tandem).status == PairStatus.PROPOSED

    tandem.run_due(START + timedelta(days=14))
    assert the_pair(tandem).status == PairStatus.EXPIRED
    for user in (MENTOR, MENTEE, ADMIN):
        notice = delivered(tandem, "pair.expired", user)[0]["text"]
        assert "has closed" in notice and "proposed again" in notice
    tandem.run_due(START + timedelta(days=20))
    assert len(outbox_keys(tandem, "pair.expired")) == 3

    # The reminder's Accept button now says why it does nothing.
    click(tandem, reminder, MENTEE, "pair.accept")
    updated = tandem.emulator.message(reminder["channel"], reminder["ts"])["text"]
    assert "expired unanswered" in updated
    assert the_pair(tandem).status == PairStatus.EXPIRED

    # The same two can be proposed again, and this time it goes ahead.
    reply = propose(tandem, ADMIN, MENTOR, MENTEE).json["text"]
    assert "asked" in reply
    with tandem.session() as session:
        statuses = sorted(p.status for p in session.exec(select(Pair)))
    assert statuses == [PairStatus.EXPIRED, PairStatus.PROPOSED]


def test_an_answered_proposal_is_neither_reminded_nor_expired(tandem: Harness) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.accept")
    tandem.run_due(START + timedelta(days=3))
    tandem.run_due(START + timedelta(days=15))
    assert the_pair(tandem).status == PairStatus.ACTIVE
    assert outbox_keys(tandem, "pair.proposal_reminder") == []
    assert outbox_keys(tandem, "pair.expired") == []


def test_a_declined_proposal_is_not_reminded(tandem: Harness) -> None:
    propose(tandem, ADMIN, MENTOR, MENTEE)
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.decline")
    tandem.run_due(START + timedelta(days=3))
    tandem.run_due(START + timedelta(days=15))
    assert the_pair(tandem).status == PairStatus.DECLINED
    assert outbox_keys(tandem, "pair.proposal_reminder") == []
    assert outbox_keys(tandem, "pair.expired") == []

"""A charter version the partner has not acknowledged within five days: one reminder, with
the buttons to answer it; none when they did, and none for a version a newer one replaced."""

from datetime import timedelta

from sqlmodel import select

from storage.models import CharterAck
from tests.pairs.steps import click, delivered, open_charter, outbox_keys, submit_charter
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness

REMINDER = "charter.ack_reminder:"  # the outbox keys of acknowledgement reminders


def test_an_unacknowledged_version_is_reminded_once_to_the_partner(tandem: Harness) -> None:
    pair = create_active_pair(tandem)
    form = open_charter(tandem, MENTOR)
    assert submit_charter(tandem, MENTOR, form, session_minutes="60").problems == []

    tandem.run_due(START + timedelta(days=4, hours=23))
    assert outbox_keys(tandem, REMINDER) == []
    tandem.run_due(START + timedelta(days=5))
    reminder = delivered(tandem, "charter.ack_reminder", MENTEE)[0]
    assert "version 2 of your charter" in reminder["text"]
    assert "still waiting for your acknowledgement" in reminder["text"]
    tandem.run_due(START + timedelta(days=6))
    tandem.run_due(START + timedelta(days=30))
    assert outbox_keys(tandem, REMINDER) == [f"{REMINDER}{pair.pair_id}:2"]

    click(tandem, reminder, MENTEE, "charter.ack")  # the reminder's button acknowledges it
    with tandem.session() as session:
        assert len(session.exec(select(CharterAck)).all()) == 4  # v1 by both, v2 by both


def test_an_acknowledged_version_is_not_reminded(tandem: Harness) -> None:
    create_active_pair(tandem)
    form = open_charter(tandem, MENTOR)
    assert submit_charter(tandem, MENTOR, form, session_minutes="60").problems == []
    request = delivered(tandem, "charter.ack_request", MENTEE)[-1]
    click(tandem, request, MENTEE, "charter.ack")
    tandem.run_due(START + timedelta(days=5))
    tandem.run_due(START + timedelta(days=12))
    assert outbox_keys(tandem, REMINDER) == []


def test_only_the_latest_version_is_reminded_to_its_own_partner(tandem: Harness) -> None:
    pair = create_active_pair(tandem)
    form = open_charter(tandem, MENTOR)
    assert submit_charter(tandem, MENTOR, form, session_minutes="60").problems == []
    tandem.run_due(START + timedelta(days=3))
    form = open_charter(tandem, MENTEE)  # Noah answers with a version of his own
    assert submit_charter(tandem, MENTEE, form, session_minutes="30").problems == []

    tandem.run_due(START + timedelta(days=5))  # v2's five days: v3 replaced it
    assert outbox_keys(tandem, REMINDER) == []
    tandem.run_due(START + timedelta(days=8))
    assert outbox_keys(tandem, REMINDER) == [f"{REMINDER}{pair.pair_id}:3"]
    assert "version 3" in delivered(tandem, "charter.ack_reminder", MENTOR)[0]["text"]

"""A co-signed charter: a new schedule waits for the partner's acknowledgement, the partner can
ask for changes with a note, and a start date puts the first meeting (and reminder) later."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import col, select

from bot.charter.change_requests import NOTE_BLOCK
from storage.models import (
    CharterChangeRequest,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    OutboxMessage,
)
from tests.pairs.steps import click, delivered, open_charter, submit_charter
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness


def series(tandem: Harness) -> MeetingSeries:
    with tandem.session() as session:
        return session.exec(select(MeetingSeries)).one()


def upcoming(tandem: Harness) -> list[datetime]:
    with tandem.session() as session:
        rows = session.exec(
            select(Meeting)
            .where(Meeting.status == MeetingStatus.SCHEDULED)
            .order_by(col(Meeting.starts_at))
        )
        return [m.starts_at for m in rows]


def status_text(tandem: Harness, user: str) -> str:
    return str(tandem.slack.command(user, "status").json)


def test_a_new_meeting_day_takes_effect_only_once_the_partner_acknowledges(
    tandem: Harness,
) -> None:
    create_active_pair(tandem)  # v1: weekly on Mondays 10:00 Berlin, signed by both
    tandem.run_due(START)
    assert series(tandem).rrule.endswith("BYDAY=MO")
    form = open_charter(tandem, MENTOR)
    assert submit_charter(tandem, MENTOR, form, weekday="3").problems == []  # Thursdays
    request = delivered(tandem, "charter.ack_request", MENTEE)[-1]
    said = str(request["blocks"])
    assert "starts once you acknowledge" in said and "Mondays at 10:00" in said
    tandem.run_due(START + timedelta(minutes=1))
    assert series(tandem).rrule.endswith("BYDAY=MO")  # the agreed schedule stands
    assert all(at.weekday() == 0 for at in upcoming(tandem))
    assert "Waiting for <@UMENTEE01> to acknowledge" in status_text(tandem, MENTOR)

    click(tandem, request, MENTEE, "charter.ack")
    assert series(tandem).rrule.endswith("BYDAY=TH")
    assert upcoming(tandem) and all(at.weekday() == 3 for at in upcoming(tandem))
    delivered(tandem, "meeting.series", None)  # the pair is told the new rhythm


def test_a_change_that_keeps_the_schedule_does_not_wait(tandem: Harness) -> None:
    create_active_pair(tandem)
    tandem.run_due(START)
    before = series(tandem)
    form = open_charter(tandem, MENTOR)
    submit_charter(tandem, MENTOR, form, weekday="0", meeting_time="10:00", session_minutes="60")
    request = delivered(tandem, "charter.ack_request", MENTEE)[-1]
    assert "starts once you acknowledge" not in str(request["blocks"])
    after = series(tandem)
    assert after.rrule == before.rrule and after.duration_minutes == 60


def test_the_partner_asks_for_changes_and_the_author_sees_the_note(tandem: Harness) -> None:
    create_active_pair(tandem)
    form = open_charter(tandem, MENTOR)
    submit_charter(tandem, MENTOR, form, weekday="3")
    request = delivered(tandem, "charter.ack_request", MENTEE)[-1]
    click(tandem, request, MENTEE, "charter.request_changes", answer="views.open")
    modal = tandem.emulator.open_view(MENTEE)
    assert modal["title"]["text"] == "Ask for changes"
    empty = tandem.slack.submit_view(MENTEE, modal, {NOTE_BLOCK: "  "}, check_required=False)
    assert NOTE_BLOCK in empty.json["errors"]
    sent = tandem.slack.submit_view(MENTEE, modal, {NOTE_BLOCK: "Thursdays clash with my 1:1s."})
    assert sent.json["response_action"] == "update" and "Sent" in str(sent.json["view"])
    told = delivered(tandem, "charter.changes", MENTOR)[-1]
    assert "Thursdays clash with my 1:1s." in str(told["blocks"])
    assert "asked for changes" in told["text"]
    assert "Thursdays clash" in status_text(tandem, MENTOR)
    # The author cannot ask themselves; a new version answers the request.
    answer = tandem.slack.click(MENTOR, "charter.request_changes", value=str(_latest_id(tandem)))
    assert answer.ok
    tandem.emulator.wait_for("response_url")
    assert "You wrote version 2" in tandem.emulator.ephemeral_messages(user=MENTOR)[-1]["text"]
    form = open_charter(tandem, MENTOR)
    submit_charter(tandem, MENTOR, form, weekday="4")
    assert "Thursdays clash" not in status_text(tandem, MENTOR)
    with tandem.session() as session:
        [row] = session.exec(select(CharterChangeRequest)).all()
    assert row.resolved_at is not None


def _latest_id(tandem: Harness) -> int:
    from storage.models import CharterVersion

    with tandem.session() as session:
        return (
            session.exec(select(CharterVersion).order_by(col(CharterVersion.id).desc())).first().id
        )  # type: ignore[union-attr]


def test_a_pair_starting_next_month_is_first_reminded_next_month(tandem: Harness) -> None:
    create_active_pair(tandem, charter=None)
    form = open_charter(tandem, MENTOR)
    past = submit_charter(tandem, MENTOR, form, starts_on="2026-02-20")
    assert "That date has passed" in past.json["errors"]["starts_on"]
    assert submit_charter(tandem, MENTOR, form, starts_on="2026-04-01").problems == []
    tandem.run_due(START + timedelta(minutes=1))
    first = upcoming(tandem)[0]
    assert first == datetime(2026, 4, 7, 8, 30, tzinfo=UTC)  # Tuesday 10:30 in Berlin (summer)
    for day in range(1, 30):  # through March: no reminder at all
        tandem.run_due(START + timedelta(days=day))
    with tandem.session() as session:
        reminders = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "meeting.reminder")
        ).all()
    assert reminders == []
    tandem.run_due(datetime(2026, 4, 6, 9, 0, tzinfo=UTC))  # a day before
    with tandem.session() as session:
        reminders = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "meeting.reminder")
        ).all()
    assert reminders and all(r.deliver_after.date() >= date(2026, 4, 6) for r in reminders)

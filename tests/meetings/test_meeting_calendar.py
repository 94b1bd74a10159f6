"""The series follows the charter; one meeting moves; the .ics; the status lines."""

from datetime import timedelta

from icalendar import Calendar
from sqlmodel import select

from bot.core.membership import membership_in
from bot.meetings import keys
from bot.meetings.blocks.modals import DATE_BLOCK, TIME_BLOCK
from bot.meetings.series import sync_series_from_charter
from bot.meetings.status_lines import next_meeting_line
from storage.models import CharterVersion, Meeting, MeetingSeries, MeetingStatus, Pair
from tests.meetings.helpers import meetings, queued, utc, weekly_pair
from tests.support.factories import DEFAULT_CHARTER, create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, START, Harness


def new_charter(tandem: Harness, pair_id: int, version: int, **changes: object) -> None:
    """Save charter `version` with `changes` and sync the series, as the charter save does."""
    now = tandem.clock.now()
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        charter = CharterVersion(
            team_id=tandem.team_id,
            pair_id=pair_id,
            version=version,
            author_id=pair.mentor_id,
            created_at=now,
            **{**DEFAULT_CHARTER, **changes},
        )
        session.add(charter)
        session.flush()
        sync_series_from_charter(tandem.ctx, session, pair, charter, now)


def series_of(tandem: Harness, pair_id: int) -> MeetingSeries:
    with tandem.session() as session:
        return session.exec(select(MeetingSeries).where(MeetingSeries.pair_id == pair_id)).one()


def test_changing_the_cadence_moves_the_series_and_keeps_the_notes(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    with tandem.session() as session:
        session.add(
            Meeting(
                team_id=tandem.team_id,
                pair_id=ref.pair_id,
                starts_at=utc(2026, 2, 23, 9),
                status=MeetingStatus.MET,
                discussed="Our first chat.",
            )
        )
    uid = series_of(tandem, ref.pair_id).uid
    tandem.clock.set(utc(2026, 3, 4, 12))
    thursdays = {"weekday": 3, "meeting_time": "15:00", "timezone": "America/New_York"}
    new_charter(tandem, ref.pair_id, 2, cadence="biweekly", **thursdays)
    series = series_of(tandem, ref.pair_id)
    assert (series.uid, series.sequence) == (uid, 1)
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    rows = {m.starts_at: m for m in meetings(tandem, ref.pair_id)}
    assert rows[utc(2026, 3, 9, 9)].status == MeetingStatus.CANCELLED
    assert rows[utc(2026, 3, 5, 20)].status == MeetingStatus.SCHEDULED  # Thu 15:00 New York
    assert rows[utc(2026, 2, 23, 9)].discussed == "Our first chat."
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).next_meeting_at == utc(2026, 3, 5, 20)
    announcements = queued(tandem, keys.SERIES)
    assert "every other Thursday at 15:00 (America/New_York)" in announcements[-1].text
    # A new version that keeps the rhythm (say, new focus areas) changes nothing here.
    new_charter(tandem, ref.pair_id, 3, cadence="biweekly", focus_areas=["x"], **thursdays)
    assert series_of(tandem, ref.pair_id).sequence == 1
    assert len(queued(tandem, keys.SERIES)) == 2
    # And back to weekly Mondays: the cancelled slot of 9 March is revived with fresh keys.
    new_charter(tandem, ref.pair_id, 4)
    revived = next(m for m in meetings(tandem, ref.pair_id) if m.starts_at == utc(2026, 3, 9, 9))
    assert revived.status == MeetingStatus.SCHEDULED and revived.revision == 1


def test_a_meeting_moved_by_hand_survives_a_change_of_cadence(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.slack.command(MENTOR, "reschedule")
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTOR)
    date_block = next(b for b in view["blocks"] if b.get("block_id") == DATE_BLOCK)
    assert date_block["element"]["initial_date"] == "2026-03-09"
    # "Now planned for …" falls back to the mover's own clock, not UTC.
    assert "|Mon 9 Mar, 10:00 Europe/Berlin>" in str(view["blocks"])
    tandem.slack.submit_view(MENTOR, view, {DATE_BLOCK: "2026-03-10", TIME_BLOCK: "17:00"})
    new_charter(tandem, ref.pair_id, 2, weekday=4)  # Fridays now
    kept = next(m for m in meetings(tandem, ref.pair_id) if m.starts_at == utc(2026, 3, 10, 16))
    assert kept.status == MeetingStatus.SCHEDULED and kept.occurrence_at is None
    assert utc(2026, 3, 6, 9) in [m.starts_at for m in meetings(tandem, ref.pair_id)]


def test_reschedule_needs_a_pair_and_a_meeting(tandem: Harness) -> None:
    tandem.stop_delivery()
    answer = tandem.slack.command(OUTSIDER, "reschedule").json["text"]
    assert "not in an active mentoring pair" in answer
    # Answered from the database alone: no round trip to Slack before the 3-second ack.
    assert [c for c in tandem.emulator.calls("users.info") if c.args.get("user") == OUTSIDER] == []
    create_active_pair(tandem, charter=None)
    answer = tandem.slack.command(MENTOR, "reschedule").json["text"]
    assert "no meeting scheduled" in answer


def test_the_calendar_file_has_a_stable_uid_the_rule_and_the_timezone(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.run_due(utc(2026, 3, 2, 13))  # the announcement reaches the group DM
    # One meeting skipped, one moved: the calendar shows both.
    with tandem.session() as session:
        rows = session.exec(select(Meeting).where(Meeting.pair_id == ref.pair_id)).all()
        rows[0].status = MeetingStatus.SKIPPED
    tandem.run_due(utc(2026, 3, 9, 10))  # the next occurrence (16 March) is planned
    with tandem.session() as session:
        moved = session.exec(select(Meeting).where(Meeting.starts_at == utc(2026, 3, 16, 9))).one()
        moved.starts_at = utc(2026, 3, 17, 15)
    [announcement] = [
        m for m in tandem.emulator.messages(ref.home_channel_id) if "Your meetings" in m["text"]
    ]
    tandem.slack.click_button_in(announcement, MENTEE, action_id="meeting.ics")
    tandem.emulator.wait_for("files.completeUploadExternal")
    [upload] = tandem.emulator.files()
    assert upload.channel == ref.home_channel_id and upload.filename.endswith(".ics")
    calendar = Calendar.from_ical(upload.content)
    events = [c for c in calendar.walk("VEVENT")]
    series = series_of(tandem, ref.pair_id)
    assert {str(e["UID"]) for e in events} == {series.uid}
    main = next(e for e in events if "RRULE" in e)
    assert main["RRULE"].to_ical().decode() == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"
    assert main["DTSTART"].dt.tzinfo.key == "Europe/Berlin"
    assert main["DTSTART"].dt.hour == 10
    assert [d.dt.day for d in main["EXDATE"].dts] == [9]
    [override] = [e for e in events if "RECURRENCE-ID" in e]
    assert override["RECURRENCE-ID"].dt.day == 16 and override["DTSTART"].dt.day == 17
    assert [c.name for c in calendar.walk("VTIMEZONE")] == ["VTIMEZONE"]
    assert str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Berlin"
    # An outsider clicking the same button gets nothing.
    tandem.slack.click(OUTSIDER, "meeting.ics", value=str(ref.pair_id))
    tandem.emulator.wait_for("response_url")
    assert len(tandem.emulator.files()) == 1


def test_status_lines_show_the_next_meeting_in_each_readers_time(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.slack.command(MENTEE, "agenda the promo packet")
    with tandem.session() as session:
        membership = membership_in(session, ref.pair_id, tandem.team_id, MENTEE)
        lines = next_meeting_line(session, membership, START)
    stamp = int(utc(2026, 3, 9, 9).timestamp())
    assert lines[0].startswith(f"Next meeting: <!date^{stamp}^")
    assert lines[1] == "Rhythm: every Monday at 10:00 (Europe/Berlin)"
    assert lines[2] == "Agenda: 1 item so far"
    assert "promo" not in " ".join(lines)
    tandem.slack.command(MENTEE, "pause until 2026-04-01")
    with tandem.session() as session:
        membership = membership_in(session, ref.pair_id, tandem.team_id, MENTOR)
        [paused] = next_meeting_line(session, membership, START + timedelta(hours=1))
    assert paused.startswith("Meetings paused until <!date^")


def test_a_mentor_with_two_pairs_names_or_picks_the_one_they_mean(tandem: Harness) -> None:
    first = weekly_pair(tandem)
    second = create_active_pair(tandem, mentee=OTHER_MENTEE)
    tandem.run_due(START)
    answer = tandem.slack.command(MENTOR, "agenda hiring plans").json["text"]
    assert "more than one pair" in answer and "@partner" in answer
    answer = tandem.slack.command(MENTOR, f"agenda <@{OTHER_MENTEE}|ines> hiring plans").json
    assert "Added to the agenda" in answer["text"] and "Ines will see it" in answer["text"]
    tandem.slack.command(MENTOR, "reschedule")
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTOR)
    picker = next(b for b in view["blocks"] if b.get("block_id") == "pair")
    assert {o["value"] for o in picker["element"]["options"]} == {
        str(first.pair_id),
        str(second.pair_id),
    }
    tandem.slack.submit_view(
        MENTOR,
        view,
        {"pair.pick": str(second.pair_id), DATE_BLOCK: "2026-03-10", TIME_BLOCK: "12:00"},
    )
    moved = [m for m in meetings(tandem, second.pair_id) if m.starts_at == utc(2026, 3, 10, 11)]
    assert len(moved) == 1  # 12:00 Berlin, the mentor's time
    assert utc(2026, 3, 9, 9) in [m.starts_at for m in meetings(tandem, first.pair_id)]

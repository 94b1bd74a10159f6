"""A person's calendar feed stays true: fetched over HTTP as a calendar app does, parsed with
`icalendar`, expanded with `recurring-ical-events`, and compared with Tandem's own schedule
after a skip, a reschedule, a DST change, a pause and the end; reset, unknown tokens, and
nothing private in it."""

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar
from sqlmodel import select

from bot.meetings.blocks.modals import DATE_BLOCK, TIME_BLOCK
from bot.meetings.recurrence_rules import occurrences_after
from bot.meetings.schedule import rhythm_of
from devkit.emulator import SlackEmulator
from storage.models import CalendarFeed, Meeting, MeetingSeries, MeetingStatus
from tests.admin.test_admin import press_in_admin_menu
from tests.meetings.helpers import utc, weekly_pair
from tests.reflection.helpers import command_modal
from tests.support.harness import (
    ADMIN,
    MENTEE,
    MENTOR,
    OUTSIDER,
    START,
    Harness,
    running_tandem,
)

PUBLIC_URL = "https://tandem.example.com"
HORIZON = utc(2026, 6, 1)


@pytest.fixture
def tandem(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem with a public address, so people can subscribe to their calendars."""
    yield from running_tandem(database_url, emulator, public_url=PUBLIC_URL)


def subscribe(tandem: Harness, user_id: str) -> str:
    """Ask for a feed as `user_id` does; the address on this test server."""
    text = tandem.slack.command(user_id, "preferences calendar").json["text"]
    [address] = re.findall(rf"{re.escape(PUBLIC_URL)}/calendar/[A-Za-z0-9_-]+\.ics", text)
    assert f"webcal://tandem.example.com/calendar/{address.rsplit('/', 1)[1]}" in text
    return tandem.app_url.removesuffix("/slack/events") + address.removeprefix(PUBLIC_URL)


def get(url: str, method: str = "GET") -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method)) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def feed(url: str) -> Calendar:
    status, body = get(url)
    assert status == 200, body
    return Calendar.from_ical(body)


def shown(calendar: Calendar) -> list[datetime]:
    """The meetings a calendar app shows from START to HORIZON, as UTC instants."""
    events = recurring_ical_events.of(calendar).between(START, HORIZON)
    return sorted(event["DTSTART"].dt.astimezone(utc(2026, 1, 1).tzinfo) for event in events)


def planned(tandem: Harness, pair_id: int, ends: datetime = HORIZON) -> list[datetime]:
    """Tandem's own schedule: the series' rule, with each occurrence row's skip, cancellation
    or move, before `ends`."""
    with tandem.session() as session:
        series = session.exec(select(MeetingSeries).where(MeetingSeries.pair_id == pair_id)).one()
        rows = session.exec(select(Meeting).where(Meeting.pair_id == pair_id)).all()
    by_slot = {row.occurrence_at: row for row in rows if row.occurrence_at is not None}
    found = []
    for slot in occurrences_after(rhythm_of(series), START, 20):
        row = by_slot.get(slot)
        if row is not None and row.status in (MeetingStatus.SKIPPED, MeetingStatus.CANCELLED):
            continue
        at = row.starts_at if row is not None else slot
        if START <= at < min(ends, HORIZON):
            found.append(at)
    return sorted(found)


def main_event(calendar: Calendar):  # type: ignore[no-untyped-def]
    return next(e for e in calendar.walk("VEVENT") if "RRULE" in e)


def test_the_feed_follows_skips_moves_dst_pauses_and_the_end(tandem: Harness) -> None:
    ref = weekly_pair(tandem)  # Mondays 10:00 Europe/Berlin, from 9 March
    tandem.slack.command(MENTEE, "agenda the promo packet")
    url = subscribe(tandem, MENTEE)
    first = feed(url)
    event = main_event(first)
    assert str(event["SUMMARY"]) == "Maya · mentoring"  # the partner, as the mentee sees it
    assert f"channel={ref.home_channel_id}" in str(event["DESCRIPTION"])
    assert event["DTSTART"].dt.tzinfo.key == "Europe/Berlin"
    assert [str(tz["TZID"]) for tz in first.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert shown(first) == planned(tandem, ref.pair_id)
    # Across Europe's clock change (29 March) the meeting stays at 10:00 in Berlin.
    assert utc(2026, 3, 23, 9) in shown(first) and utc(2026, 3, 30, 8) in shown(first)
    sequence = int(event["SEQUENCE"])

    # Skipped, from the "did you meet?" message.
    tandem.run_due(utc(2026, 3, 9, 13))
    [followup] = [
        m
        for m in tandem.emulator.messages(ref.home_channel_id)
        if any(b.get("block_id") == "meeting.followup" for b in m["blocks"] or [])
    ]
    tandem.slack.click_button_in(followup, MENTEE, action_id="meeting.skip")
    tandem.emulator.wait_for("chat.update")
    skipped = feed(url)
    assert utc(2026, 3, 9, 9) not in shown(skipped)
    assert shown(skipped) == planned(tandem, ref.pair_id)
    assert int(main_event(skipped)["SEQUENCE"]) > sequence
    assert main_event(skipped)["LAST-MODIFIED"].dt == tandem.clock.now()
    sequence = int(main_event(skipped)["SEQUENCE"])

    # Fetching again without a change moves nothing.
    tandem.clock.advance(timedelta(hours=1))
    again = main_event(feed(url))
    assert int(again["SEQUENCE"]) == sequence
    assert again["LAST-MODIFIED"].dt == main_event(skipped)["LAST-MODIFIED"].dt

    # Rescheduled: 16 March moves to Tuesday 17:00 in Berlin.
    tandem.slack.command(MENTOR, "reschedule")
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTOR)
    tandem.slack.submit_view(MENTOR, view, {DATE_BLOCK: "2026-03-17", TIME_BLOCK: "17:00"})
    moved = feed(url)
    assert utc(2026, 3, 16, 9) not in shown(moved) and utc(2026, 3, 17, 16) in shown(moved)
    assert shown(moved) == planned(tandem, ref.pair_id)
    [override] = [e for e in moved.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override["RECURRENCE-ID"].dt == utc(2026, 3, 16, 9)
    assert int(main_event(moved)["SEQUENCE"]) > sequence

    # Paused from 18 March until 14 April: four Mondays go, 20 April is back.
    tandem.clock.set(utc(2026, 3, 18, 12))
    tandem.slack.command(MENTEE, "pause until 2026-04-14")
    paused = shown(feed(url))
    gone = [utc(2026, 3, 23, 9), utc(2026, 3, 30, 8), utc(2026, 4, 6, 8), utc(2026, 4, 13, 8)]
    assert not set(gone) & set(paused)
    assert utc(2026, 3, 17, 16) in paused and utc(2026, 4, 20, 8) in paused
    # The pause ran out and the pair resumed: the weeks it covered stay away, and the moved
    # meeting nobody logged is cancelled, as Tandem cancels it on resuming.
    tandem.run_due(utc(2026, 4, 14, 6))
    resumed = shown(feed(url))
    assert resumed == [at for at in paused if at != utc(2026, 3, 17, 16)]
    assert resumed == [at for at in planned(tandem, ref.pair_id) if at not in gone]

    # Ended on 1 May: nothing after.
    tandem.clock.set(utc(2026, 5, 1, 12))
    ending = command_modal(tandem, MENTOR, "end")
    tandem.slack.submit_view(
        MENTOR,
        ending,
        {
            "reflection.how": "graduate",
            "reflection.reflection": "Watching Noah run the launch was the highlight.",
            "reflection.thank_you": "Thank you!",
        },
    )
    ended = feed(url)
    assert max(shown(ended)) == utc(2026, 4, 27, 8)
    assert shown(ended) == [at for at in resumed if at < utc(2026, 5, 1, 12)]
    assert shown(ended) == [
        at for at in planned(tandem, ref.pair_id, ends=utc(2026, 5, 1, 12)) if at not in gone
    ]
    assert "UNTIL" in main_event(ended)["RRULE"]
    body = ended.to_ical().decode()
    assert "promo" not in body and "launch" not in body  # no agenda, no retrospective


def test_asking_again_kills_the_old_address_and_misses_all_look_alike(tandem: Harness) -> None:
    weekly_pair(tandem)
    old = subscribe(tandem, MENTEE)
    assert get(old)[0] == 200
    new = subscribe(tandem, MENTEE)
    assert new != old
    assert get(new)[0] == 200
    missing = get(old)
    base = old.rsplit("/", 1)[0]
    for url in (base + "/" + "A" * 43 + ".ics", base + "/nope.ics", base + "/" + "x" * 5000):
        assert get(url) == missing == (404, b"No such calendar.\n")
    token = new.rsplit("/", 1)[1].removesuffix(".ics")
    assert get(f"{base}/{token}")[0] == 404  # without .ics
    assert get(new, method="POST")[0] == 405
    assert get(new, method="HEAD") == (200, b"")


def announcement(tandem: Harness, home: str) -> dict:
    tandem.run_due(tandem.clock.now())
    [message] = [m for m in tandem.emulator.messages(home) if "Your meetings" in m["text"]]
    return message


def test_subscribe_beside_the_download_gives_the_clicker_their_own_feed(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = announcement(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(message, MENTOR, action_id="meeting.subscribe")
    [reply] = tandem.emulator.wait_for("response_url")
    assert reply.args["response_type"] == "ephemeral"
    [address] = re.findall(
        rf"{re.escape(PUBLIC_URL)}/calendar/[A-Za-z0-9_-]+\.ics", reply.args["text"]
    )
    url = tandem.app_url.removesuffix("/slack/events") + address.removeprefix(PUBLIC_URL)
    assert str(main_event(feed(url))["SUMMARY"]) == "Noah · mentoring"


def test_each_person_sees_only_their_own_pairs(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    mentor = feed(subscribe(tandem, MENTOR))
    assert str(main_event(mentor)["SUMMARY"]) == "Noah · mentoring"
    with tandem.session() as session:
        uid = session.exec(select(MeetingSeries.uid).where(MeetingSeries.pair_id == ref.pair_id))
        uid = uid.one()
    assert {str(e["UID"]) for e in mentor.walk("VEVENT")} == {uid}
    outsider = feed(subscribe(tandem, OUTSIDER))
    assert outsider.walk("VEVENT") == []


def test_erasing_a_persons_data_removes_their_feed(tandem: Harness) -> None:
    weekly_pair(tandem)
    url = subscribe(tandem, MENTEE)
    mentor_url = subscribe(tandem, MENTOR)
    press_in_admin_menu(tandem, ADMIN, "admin.open_erase")
    modal = tandem.emulator.wait_for("views.open")[0].response["view"]
    done = tandem.slack.submit_view(
        ADMIN, modal, {("person", "value"): MENTEE, ("confirm", "value"): "DELETE"}
    )
    assert done.json["response_action"] == "update"
    assert get(url)[0] == 404
    with tandem.session() as session:
        assert len(session.exec(select(CalendarFeed)).all()) == 1  # the mentor's
    # The mentor's feed keeps the meetings held until the erasure ended the pair, nameless.
    event = main_event(feed(mentor_url))
    assert "UNTIL" in event["RRULE"] and "Noah" not in str(event["SUMMARY"])


def test_a_database_that_does_not_answer_is_a_503_for_the_feed_and_a_thin_scrape(
    tandem: Harness, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the database file is taken away: SQLite's own shape of an outage")
    weekly_pair(tandem)
    url = subscribe(tandem, MENTEE)
    tandem.ctx.engine.dispose()
    path = Path(database_url.removeprefix("sqlite:///"))
    path.rename(path.with_suffix(".gone"))  # the next connection finds no tables
    assert get(url) == (503, b"Try again later.\n")
    status, body = get(url.rsplit("/calendar/", 1)[0] + "/metrics")
    assert status == 200 and b"tandem_listener_ack_seconds" in body
    assert b"tandem_outbox_messages{" not in body


def test_without_a_public_address_no_feed_is_offered(
    database_url: str, emulator: SlackEmulator
) -> None:
    for harness in running_tandem(database_url, emulator):
        text = harness.slack.command(MENTEE, "preferences calendar").json["text"]
        assert "TANDEM_PUBLIC_URL" in text and "/calendar/" not in text
        ref = weekly_pair(harness)
        buttons = [
            element["action_id"]
            for block in announcement(harness, ref.home_channel_id)["blocks"]
            for element in block.get("elements", [])
            if "action_id" in element
        ]
        assert buttons == ["meeting.ics", "meeting.settings"]  # the download, as it was

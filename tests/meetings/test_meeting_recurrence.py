"""Pure rules: charter cadence → RFC 5545 rule → UTC instants; DST gaps and overlaps; topics."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from bot.meetings.recurrence_rules import (
    RecurrenceError,
    Rhythm,
    cadence_period,
    cadence_rule,
    describe,
    occurrences_after,
    rhythm_for,
    to_instant,
)
from bot.meetings.topic_rules import suggest_topic

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_weekly_10_00_berlin_stays_10_00_in_berlin_across_the_spring_change() -> None:
    rhythm = rhythm_for("weekly", 0, "10:00", "Europe/Berlin", NOW)
    assert rhythm.rule == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"
    found = occurrences_after(rhythm, NOW, 5)
    assert found == [
        utc(2026, 3, 9, 9),
        utc(2026, 3, 16, 9),
        utc(2026, 3, 23, 9),
        utc(2026, 3, 30, 8),  # CEST from 29 March
        utc(2026, 4, 6, 8),
    ]
    assert {instant.astimezone(BERLIN).time() for instant in found} == {time(10, 0)}


def test_and_across_the_autumn_change() -> None:
    rhythm = rhythm_for("weekly", 0, "10:00", "Europe/Berlin", utc(2026, 10, 20))
    assert occurrences_after(rhythm, utc(2026, 10, 20), 2) == [
        utc(2026, 10, 26, 9),  # CET again from 25 October
        utc(2026, 11, 2, 9),
    ]


def test_a_time_that_does_not_exist_moves_forward_by_the_gap() -> None:
    # 02:30 on 29 March 2026 never happens in Berlin (02:00 → 03:00): RFC 5545 reads it with
    # the offset from before the gap, i.e. 01:30 UTC, which the clocks show as 03:30.
    gap = to_instant(datetime(2026, 3, 29, 2, 30), BERLIN)
    assert gap == utc(2026, 3, 29, 1, 30)
    assert gap.astimezone(BERLIN).time() == time(3, 30)
    weekly = rhythm_for("weekly", 6, "02:30", "Europe/Berlin", utc(2026, 3, 20))
    assert occurrences_after(weekly, utc(2026, 3, 20), 3) == [
        utc(2026, 3, 22, 1, 30),
        utc(2026, 3, 29, 1, 30),  # the gap night
        utc(2026, 4, 5, 0, 30),  # back to 02:30, now in summer time
    ]


def test_a_time_that_happens_twice_means_the_first() -> None:
    # 02:30 on 25 October 2026 happens in CEST and again in CET: the first (00:30 UTC).
    assert to_instant(datetime(2026, 10, 25, 2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)


def test_biweekly_keeps_step_with_the_first_meeting() -> None:
    rhythm = rhythm_for("biweekly", 2, "16:00", "America/New_York", NOW)
    assert rhythm.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    assert occurrences_after(rhythm, NOW, 3) == [
        utc(2026, 3, 4, 21),
        utc(2026, 3, 18, 20),  # EDT from 8 March
        utc(2026, 4, 1, 20),
    ]
    assert describe(rhythm) == "every other Wednesday at 16:00 (America/New_York)"


def test_monthly_is_the_nth_weekday_of_the_month_from_the_first_meeting() -> None:
    third = rhythm_for("monthly", 0, "10:00", "Europe/Berlin", utc(2026, 3, 10))
    assert third.rule == "FREQ=MONTHLY;INTERVAL=1;BYDAY=+3MO"
    assert [d.date() for d in occurrences_after(third, utc(2026, 3, 10), 3)] == [
        date(2026, 3, 16),
        date(2026, 4, 20),
        date(2026, 5, 18),
    ]
    assert describe(third) == "the third Monday of each month at 10:00 (Europe/Berlin)"
    # A fifth Monday (most months have none) becomes "the last Monday".
    assert cadence_rule("monthly", 0, date(2026, 3, 30)) == "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1MO"
    last = Rhythm("FREQ=MONTHLY;INTERVAL=1;BYDAY=-1MO", datetime(2026, 3, 30, 10), "Europe/Berlin")
    assert [d.date() for d in occurrences_after(last, utc(2026, 3, 29), 3)] == [
        date(2026, 3, 30),
        date(2026, 4, 27),
        date(2026, 5, 25),
    ]


def test_cadence_periods_for_the_lapse_watch() -> None:
    assert cadence_period("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO") == relativedelta(weeks=1)
    assert cadence_period("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO") == relativedelta(weeks=2)
    assert cadence_period("FREQ=MONTHLY;INTERVAL=1;BYDAY=+1MO") == relativedelta(months=1)


@pytest.mark.parametrize(
    ("cadence", "weekday", "at", "zone"),
    [
        ("daily", 0, "10:00", "UTC"),
        ("weekly", 7, "10:00", "UTC"),
        ("weekly", 0, "25:00", "UTC"),
        ("weekly", 0, "ten", "UTC"),
        ("weekly", 0, "10:00", "Mars/Olympus_Mons"),
    ],
)
def test_a_charter_that_cannot_become_a_schedule_says_why(
    cadence: str, weekday: int, at: str, zone: str
) -> None:
    with pytest.raises(RecurrenceError):
        rhythm_for(cadence, weekday, at, zone, NOW)


def test_the_suggested_topic_is_the_focus_area_least_recently_discussed() -> None:
    areas = ["system design", "stakeholders", "career"]
    assert suggest_topic(areas, []) == "system design"
    history = [
        (utc(2026, 2, 2), ["System Design "]),
        (utc(2026, 2, 9), ["stakeholders"]),
        (utc(2026, 2, 16), ["career", "system design"]),
    ]
    assert suggest_topic(areas, history) == "stakeholders"
    assert suggest_topic(areas, history[:2]) == "career"  # never discussed comes first
    assert suggest_topic([], history) is None
    assert suggest_topic(["  "], history) is None


def test_a_charter_saved_just_before_todays_slot_starts_next_time_round() -> None:
    # Saved Monday 15:00 Berlin for "Mondays 16:00": an hour's notice is no first meeting.
    saved = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    rhythm = rhythm_for("weekly", 0, "16:00", "Europe/Berlin", saved)
    [first] = occurrences_after(rhythm, saved)
    assert first == datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    # Saved the evening before a 10:00 slot: still the next morning (more than 12 hours away).
    evening = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    [next_morning] = occurrences_after(
        rhythm_for("weekly", 0, "10:00", "Europe/Berlin", evening), evening
    )
    assert next_morning == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

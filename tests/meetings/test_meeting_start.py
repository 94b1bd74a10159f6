"""A charter's start date: the series' first meeting is on or after it, never before."""

from datetime import UTC, date, datetime

import pytest

from bot.charter.cosign_rules import start_problem
from bot.meetings.recurrence_rules import RecurrenceError, next_occurrence
from bot.meetings.time_rules import default_start, first_meeting_at, rhythm_starting

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # a Monday afternoon


def test_without_a_start_date_the_series_begins_at_the_next_slot() -> None:
    rhythm = rhythm_starting("weekly", 2, "10:00", "Europe/Berlin", NOW)
    assert rhythm.local_start == datetime(2026, 3, 4, 10, 0)
    assert default_start("weekly", 2, "10:00", "Europe/Berlin", NOW) == date(2026, 3, 4)


def test_a_pair_starting_next_month_first_meets_next_month() -> None:
    rhythm = rhythm_starting("biweekly", 0, "09:30", "Europe/Berlin", NOW, date(2026, 4, 1))
    assert rhythm.local_start == datetime(2026, 4, 6, 9, 30)  # the first Monday on or after
    first = first_meeting_at(rhythm)
    assert first == datetime(2026, 4, 6, 7, 30, tzinfo=UTC)  # Berlin is on summer time by then
    assert next_occurrence(rhythm, NOW) == first  # nothing in March


def test_a_start_date_on_the_weekday_itself_is_that_day() -> None:
    rhythm = rhythm_starting("monthly", 3, "16:00", "America/New_York", NOW, date(2026, 5, 21))
    assert rhythm.local_start == datetime(2026, 5, 21, 16, 0)
    assert "BYDAY=+3TH" in rhythm.rule  # the third Thursday, taken from the start date


def test_a_start_date_sooner_than_the_next_slot_changes_nothing() -> None:
    assert rhythm_starting(
        "weekly", 0, "10:00", "Europe/Berlin", NOW, date(2026, 3, 2)
    ) == rhythm_starting("weekly", 0, "10:00", "Europe/Berlin", NOW)


def test_a_charter_that_cannot_be_a_schedule_is_still_refused() -> None:
    with pytest.raises(RecurrenceError):
        rhythm_starting("daily", 0, "10:00", "Europe/Berlin", NOW, date(2026, 4, 1))


@pytest.mark.parametrize(
    ("starts_on", "problem"),
    [
        (date(2026, 3, 1), "That date has passed. Pick today or a later day."),
        (date(2027, 6, 1), "Pick a start within the next year."),
        (date(2026, 3, 2), None),
        (date(2026, 9, 1), None),
    ],
)
def test_start_dates_in_the_past_or_far_ahead_are_refused(starts_on: date, problem) -> None:  # type: ignore[no-untyped-def]
    assert start_problem(starts_on, date(2026, 3, 2)) == problem

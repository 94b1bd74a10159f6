"""Which meeting a clock change moves, for whom, from what local time to what, and why."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.meetings.clock_change_rules import clock_change, last_known, place_name, why
from bot.meetings.recurrence_rules import occurrences_after, previous_occurrence, rhythm_for

BERLIN, TOKYO = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo")
NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def moved_for(rhythm, zone: ZoneInfo, count: int = 12) -> list[tuple[date, time, time]]:
    """(day, old local time, new local time) of every occurrence a clock change moved."""
    found = []
    for at in occurrences_after(
        rhythm, rhythm.local_start.replace(tzinfo=UTC) - timedelta(days=1), count
    ):
        change = clock_change(rhythm, at, zone)
        if change is not None:
            found.append(
                (change.new_local.date(), change.old_local.time(), change.new_local.time())
            )
    return found


def test_a_tokyo_mentee_is_told_once_when_berlin_springs_forward() -> None:
    # Mondays 09:00 in Berlin: 17:00 in Tokyo in winter, 16:00 once Berlin is on summer time.
    rhythm = rhythm_for("weekly", 0, "09:00", "Europe/Berlin", utc(2026, 3, 1))
    assert moved_for(rhythm, TOKYO) == [(date(2026, 3, 30), time(17), time(16))]
    [change] = [
        c
        for at in occurrences_after(rhythm, utc(2026, 3, 1), 8)
        if (c := clock_change(rhythm, at, TOKYO))
    ]
    assert change.changed == (("Europe/Berlin", date(2026, 3, 29)),)
    assert why(change) == "Berlin changed its clocks on 29 March"
    # The Berlin mentor's meeting stays at 09:00: nothing to tell.
    assert moved_for(rhythm, BERLIN) == []


def test_noah_in_new_york_sees_his_meeting_move_twice_in_march() -> None:
    # Mondays 16:00 Berlin: New York springs forward on 8 March, Berlin on 29 March.
    rhythm = rhythm_for("weekly", 0, "16:00", "Europe/Berlin", utc(2026, 2, 28))
    assert moved_for(rhythm, NEW_YORK) == [
        (date(2026, 3, 9), time(10), time(11)),
        (date(2026, 3, 30), time(11), time(10)),
    ]
    first = clock_change(rhythm, utc(2026, 3, 9, 15), NEW_YORK)
    assert first is not None and why(first) == "New York changed its clocks on 8 March"


def test_the_first_meeting_of_a_series_is_never_a_moved_one() -> None:
    rhythm = rhythm_for("weekly", 0, "16:00", "Europe/Berlin", utc(2026, 3, 3))
    first = occurrences_after(rhythm, utc(2026, 3, 3))[0]
    assert first == utc(2026, 3, 9, 15)
    assert previous_occurrence(rhythm, first) is None
    assert clock_change(rhythm, first, NEW_YORK) is None


def test_zones_that_change_together_move_nothing() -> None:
    rhythm = rhythm_for("weekly", 2, "10:00", "Europe/Berlin", utc(2026, 3, 1))
    assert moved_for(rhythm, LONDON, 40) == []


def test_autumn_moves_a_new_york_member_there_and_back() -> None:
    # Berlin falls back on 25 October, New York on 1 November.
    rhythm = rhythm_for("weekly", 0, "16:00", "Europe/Berlin", utc(2026, 10, 1))
    assert moved_for(rhythm, NEW_YORK, 8) == [
        (date(2026, 10, 26), time(10), time(11)),
        (date(2026, 11, 2), time(11), time(10)),
    ]


def test_a_monthly_series_names_both_zones_when_both_changed() -> None:
    # The first Monday of each month, 09:00 Berlin, for a member in Sydney: between 2 March and
    # 6 April, Berlin springs forward (29 March) and Sydney falls back (5 April).
    rhythm = rhythm_for("monthly", 0, "09:00", "Europe/Berlin", utc(2026, 2, 25))
    change = clock_change(rhythm, utc(2026, 4, 6, 7), SYDNEY)
    assert change is not None
    assert (change.old_local.time(), change.new_local.time()) == (time(19), time(17))
    assert why(change) == "Berlin changed its clocks on 29 March and Sydney on 5 April"


def test_a_biweekly_series_compares_with_the_occurrence_two_weeks_before() -> None:
    rhythm = rhythm_for("biweekly", 0, "09:00", "Europe/Berlin", utc(2026, 3, 14))
    assert rhythm.local_start.date() == date(2026, 3, 16)
    assert previous_occurrence(rhythm, utc(2026, 3, 30, 7)) == utc(2026, 3, 16, 8)
    assert moved_for(rhythm, TOKYO, 4) == [(date(2026, 3, 30), time(17), time(16))]


def test_place_names_read_as_people_say_them() -> None:
    assert place_name("America/New_York") == "New York"
    assert place_name("America/Argentina/Buenos_Aires") == "Buenos Aires"
    assert place_name("UTC") == "UTC"


def test_the_reference_is_what_the_member_last_knew_of() -> None:
    # Mondays 09:00 Berlin, first on 2 March; 30 March (the first moved one) is skipped.
    rhythm = rhythm_for("weekly", 0, "09:00", "Europe/Berlin", utc(2026, 3, 1))
    first, march_23, march_30 = utc(2026, 3, 2, 8), utc(2026, 3, 23, 8), utc(2026, 3, 30, 7)
    april_6 = utc(2026, 4, 6, 7)
    # Skipped before anyone was reminded: 6 April is compared with 23 March, and moved.
    unseen = last_known(march_23, [(march_30, set())], "U_TOKYO", first, april_6)
    assert unseen == march_23
    change = clock_change(rhythm, april_6, TOKYO, unseen)
    assert change is not None and (change.old_local.hour, change.new_local.hour) == (17, 16)
    # Skipped after Oscar's reminder told him: he knows 16:00 already.
    told = last_known(march_23, [(march_30, {"U_TOKYO"})], "U_TOKYO", first, april_6)
    assert told == march_30 and clock_change(rhythm, april_6, TOKYO, told) is None
    # Nothing kept since the rhythm began: the announcement's first one is the reference;
    # the first occurrence itself, and an earlier rule's meetings, have none.
    assert last_known(None, [], "U_TOKYO", first, april_6) == first
    assert last_known(None, [], "U_TOKYO", first, first) is None
    assert last_known(utc(2026, 2, 23, 9), [], "U_TOKYO", first, march_23) == first

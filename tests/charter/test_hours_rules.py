"""A charter's slot is unsocial for someone when it starts before 08:00 or after 19:00 for them."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.charter.hours_rules import next_slot, outside_working_hours

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("berlin", "for_berlin", "for_new_york"),
    [
        ("10:00", False, True),  # 04:00 in New York: the middle of the night
        ("13:00", False, True),  # 07:00 in New York: not night, but before the working day
        ("14:00", False, False),  # 08:00 in New York: the working day has begun
        ("16:00", False, False),  # 10:00
        ("19:00", False, False),  # 19:00 itself still counts as the working day
        ("19:30", True, False),  # after the day in Berlin, 13:30 in New York
        ("07:45", True, True),  # early in Berlin, 01:45 in New York
    ],
)
def test_working_hours_on_each_members_clock(
    berlin: str, for_berlin: bool, for_new_york: bool
) -> None:
    slot = next_slot(0, berlin, BERLIN, MONDAY)
    assert slot is not None
    assert outside_working_hours(slot, BERLIN) is for_berlin
    assert outside_working_hours(slot, NEW_YORK) is for_new_york


def test_the_slot_is_the_next_agreed_weekday_in_the_charters_zone() -> None:
    assert next_slot(2, "09:30", BERLIN, MONDAY) == datetime(2026, 3, 4, 9, 30, tzinfo=BERLIN)
    assert next_slot(0, "nine", BERLIN, MONDAY) is None

"""Which schedule a pair meets by while a charter change waits for the partner's signature."""

from dataclasses import dataclass
from datetime import date

from bot.charter.cosign_rules import (
    Schedule,
    Signed,
    schedule_changed,
    schedule_of,
    version_in_force,
    waiting_schedule,
)

MONDAYS = Schedule("weekly", 0, "10:00", "Europe/Berlin")
THURSDAYS = Schedule("weekly", 3, "10:00", "Europe/Berlin")
LATER = Schedule("weekly", 0, "10:00", "Europe/Berlin", date(2026, 4, 1))


@dataclass
class Version:
    cadence: str = "weekly"
    weekday: int = 0
    meeting_time: str = "10:00"
    timezone: str = "Europe/Berlin"
    starts_on: date | None = None
    success_looks_like: str = ""


def test_the_first_version_is_in_force_before_the_partner_signs() -> None:
    versions = [Signed(1, MONDAYS, by_both=False)]
    assert version_in_force(versions) == versions[0]
    assert waiting_schedule(versions) is None


def test_a_new_weekday_waits_for_the_partner_and_the_agreed_one_stands() -> None:
    versions = [Signed(1, MONDAYS, by_both=True), Signed(2, THURSDAYS, by_both=False)]
    assert version_in_force(versions).number == 1
    assert waiting_schedule(versions) == THURSDAYS


def test_once_signed_by_both_the_new_schedule_is_in_force() -> None:
    versions = [Signed(1, MONDAYS, by_both=True), Signed(2, THURSDAYS, by_both=True)]
    assert version_in_force(versions).number == 2
    assert waiting_schedule(versions) is None


def test_a_change_that_keeps_the_schedule_waits_for_nothing() -> None:
    versions = [Signed(1, MONDAYS, by_both=True), Signed(2, MONDAYS, by_both=False)]
    assert waiting_schedule(versions) is None


def test_a_later_start_date_is_a_schedule_change() -> None:
    assert schedule_changed(Version(), Version(starts_on=date(2026, 4, 1)))
    assert schedule_of(Version(starts_on=date(2026, 4, 1))) == LATER
    assert not schedule_changed(Version(), Version(success_looks_like="More"))
    assert schedule_changed(None, Version())


def test_versions_in_any_order_give_the_same_answer() -> None:
    versions = [
        Signed(3, LATER, by_both=False),
        Signed(1, MONDAYS, by_both=True),
        Signed(2, THURSDAYS, by_both=True),
    ]
    assert version_in_force(versions).number == 2
    assert waiting_schedule(versions) == LATER
    assert version_in_force([]) is None and waiting_schedule([]) is None

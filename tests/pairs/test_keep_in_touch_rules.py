"""When the two check-ins after graduating fall, and whether they go at all."""

from datetime import UTC, datetime, timedelta

from bot.pairs.keep_in_touch_rules import both_chose, check_in_at, months_of, next_check_in

ENDED = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def test_the_check_ins_fall_at_three_and_six_months_even_from_a_months_last_day() -> None:
    assert check_in_at(ENDED, 3) == datetime(2027, 2, 28, 15, 0, tzinfo=UTC)
    assert check_in_at(ENDED, 6) == datetime(2027, 5, 30, 15, 0, tzinfo=UTC)


def test_the_next_check_in_is_the_first_still_ahead_then_none() -> None:
    assert next_check_in(ENDED, ENDED) == check_in_at(ENDED, 3)
    assert next_check_in(ENDED, check_in_at(ENDED, 3)) == check_in_at(ENDED, 6)
    assert next_check_in(ENDED, check_in_at(ENDED, 6)) is None
    assert next_check_in(ENDED, ENDED + timedelta(days=400)) is None


def test_after_downtime_only_the_latest_check_in_reached_is_named() -> None:
    assert months_of(ENDED, check_in_at(ENDED, 3)) == 3
    assert months_of(ENDED, check_in_at(ENDED, 6) + timedelta(days=30)) == 6


def test_they_go_only_when_both_chose() -> None:
    assert both_chose(ENDED, ENDED)
    assert not both_chose(ENDED, None) and not both_chose(None, ENDED)

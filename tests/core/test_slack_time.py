"""Slack's date token: every reader sees the instant on their own clock; the fallback (shown
where Slack does not render it) names the zone it is in."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.slack_time import bare_clock_times, clock, plain_when, when, zone_named

AT = datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # Sunday: 14:00 in Berlin, 09:00 in New York (EDT)
STAMP = int(AT.timestamp())


def test_a_time_is_a_token_whose_fallback_names_the_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert when(AT, berlin) == (
        f"<!date^{STAMP}^{{date_short_pretty}} at {{time}}|Sun 8 Mar, 14:00 Europe/Berlin>"
    )
    assert when(AT) == f"<!date^{STAMP}^{{date_short_pretty}} at {{time}}|Sun 8 Mar, 13:00 UTC>"
    # New York sprang forward that morning: the fallback is on its new clock.
    assert plain_when(AT, ZoneInfo("America/New_York")) == "Sun 8 Mar, 09:00 America/New_York"
    assert clock(AT, berlin) == f"<!date^{STAMP}^{{time}}|14:00 Europe/Berlin>"
    assert clock(AT, berlin, name_zone=False) == f"<!date^{STAMP}^{{time}}|14:00>"


def test_the_scanner_finds_clock_times_outside_tokens_only() -> None:
    assert bare_clock_times(f"Next meeting: {when(AT)}. Agenda: 2 items") == []
    assert bare_clock_times("Next meeting: Monday at 14:00, or 9:30.") == ["14:00", "9:30"]
    assert bare_clock_times("Version 2, 45 minutes, on 2026-03-09T10:00:00") == []


def test_an_unknown_zone_falls_back_to_utc() -> None:
    assert zone_named("Mars/Olympus") == ZoneInfo("UTC")
    assert zone_named(None) == ZoneInfo("UTC")
    assert zone_named("Asia/Tokyo") == ZoneInfo("Asia/Tokyo")

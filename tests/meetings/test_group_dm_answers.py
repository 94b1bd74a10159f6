""" "Did you meet?" in the pair's group DM: an answer shows on the first ask and on its re-ask
alike, and every time said there falls back to the series' own zone, named."""

from datetime import timedelta
from typing import Any

from bot.meetings.blocks.modals import DATE_BLOCK, TIME_BLOCK
from tests.meetings.helpers import weekly_pair
from tests.meetings.test_followup_once import REASKED
from tests.meetings.test_meeting_followup import MEETING, followup, opened_modal
from tests.support.harness import MENTEE, MENTOR, Harness

# The fallback Slack shows where it does not render the token: the series' zone, not UTC.
BERLIN_FALLBACK = (
    f"<!date^{int(MEETING.timestamp())}^{{date_short_pretty}} at {{time}}"
    "|Mon 9 Mar, 10:00 Europe/Berlin>"
)


def asked_both_times(tandem: Harness, home: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first "did you meet?" and the re-ask a day later, nobody having answered."""
    first = followup(tandem, home)
    tandem.run_due(REASKED)
    asks = [
        m
        for m in tandem.emulator.messages(home)
        if any(b.get("block_id") == "meeting.followup" for b in m["blocks"] or [])
    ]
    assert len(asks) == 2 and asks[0]["ts"] == first["ts"]
    return asks[0], asks[1]


def now_shows(tandem: Harness, home: str, ts: str) -> dict[str, Any]:
    return tandem.emulator.message(home, ts)


def wait_until_both_say(tandem: Harness, home: str, ts: list[str], said: str) -> None:
    tandem.emulator.wait_for(
        lambda call: all(said in now_shows(tandem, home, t)["text"] for t in ts), timeout=10
    )


def has_buttons(message: dict[str, Any]) -> bool:
    return any(b.get("block_id") == "meeting.followup" for b in message["blocks"] or [])


def test_met_on_the_first_ask_after_the_re_ask_went_out_shows_on_both(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    first, again = asked_both_times(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(first, MENTEE, action_id="meeting.met")
    wait_until_both_say(tandem, ref.home_channel_id, [first["ts"], again["ts"]], "*Met*")
    for ts in (first["ts"], again["ts"]):
        shown = now_shows(tandem, ref.home_channel_id, ts)
        assert "*Met*" in shown["text"] and "marked by Noah" in shown["text"]
        assert not has_buttons(shown)  # nobody is left a question already answered


def test_skipped_on_the_re_ask_shows_on_the_first_ask_too(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    first, again = asked_both_times(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(again, MENTOR, action_id="meeting.skip")
    wait_until_both_say(tandem, ref.home_channel_id, [first["ts"], again["ts"]], "*Skipped*")
    for ts in (first["ts"], again["ts"]):
        shown = now_shows(tandem, ref.home_channel_id, ts)
        assert "*Skipped*" in shown["text"] and "marked by Maya" in shown["text"]
        assert not has_buttons(shown)


def test_rescheduled_from_the_first_ask_shows_the_new_time_on_both(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    first, again = asked_both_times(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(first, MENTEE, action_id="meeting.move")
    view = opened_modal(tandem, MENTEE)
    answer = tandem.slack.submit_view(MENTEE, view, {DATE_BLOCK: "2026-03-12", TIME_BLOCK: "09:00"})
    assert answer.ok
    wait_until_both_say(tandem, ref.home_channel_id, [first["ts"], again["ts"]], "*Moved* to")
    for ts in (first["ts"], again["ts"]):
        shown = now_shows(tandem, ref.home_channel_id, ts)
        assert "Thu 12 Mar" in shown["text"] and not has_buttons(shown)


def test_logging_the_day_s_meeting_answers_both_asks(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    first, again = asked_both_times(tandem, ref.home_channel_id)
    tandem.slack.command(MENTEE, "log")
    view = opened_modal(tandem, MENTEE)
    # Monday 9 March, 05:00 in New York: the meeting of that day, held.
    answer = tandem.slack.submit_view(MENTEE, view, {DATE_BLOCK: "2026-03-09", TIME_BLOCK: "05:00"})
    assert answer.ok
    wait_until_both_say(tandem, ref.home_channel_id, [first["ts"], again["ts"]], "*Met*")
    for ts in (first["ts"], again["ts"]):
        shown = now_shows(tandem, ref.home_channel_id, ts)
        assert "marked by Noah" in shown["text"] and not has_buttons(shown)


def test_times_in_the_group_dm_fall_back_to_the_series_zone(tandem: Harness) -> None:
    ref = weekly_pair(tandem)  # Mondays 10:00 Europe/Berlin
    home = ref.home_channel_id
    [announced] = [m for m in tandem.emulator.messages(home) if "Your meetings" in m["text"]]
    assert "Europe/Berlin>" in str(announced["blocks"]) and "UTC>" not in str(announced["blocks"])
    first, again = asked_both_times(tandem, home)
    for ask in (first, again):
        assert BERLIN_FALLBACK in str(ask["blocks"])
    tandem.slack.click_button_in(again, MENTEE, action_id="meeting.met")
    wait_until_both_say(tandem, home, [first["ts"], again["ts"]], "*Met*")
    assert BERLIN_FALLBACK in now_shows(tandem, home, first["ts"])["text"]
    # Nobody logs the next weeks: the lapse nudge says "since" in Berlin's time too.
    for week in range(1, 4):
        tandem.run_due(MEETING + timedelta(weeks=week, hours=4))
        tandem.run_due(REASKED + timedelta(weeks=week))
    lapses = [m for m in tandem.emulator.messages(home) if "haven't seen a meeting" in m["text"]]
    assert lapses and all("Europe/Berlin>" in m["text"] for m in lapses)

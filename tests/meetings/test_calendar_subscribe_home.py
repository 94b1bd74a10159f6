""" "Subscribe in your calendar" on Home: the private feed's address in a modal, never in Home
itself; no button without TANDEM_PUBLIC_URL."""

import re
from collections.abc import Iterator

import pytest

from devkit.emulator import SlackEmulator
from tests.meetings.helpers import weekly_pair
from tests.meetings.test_calendar_feed import PUBLIC_URL, feed, main_event
from tests.support.harness import MENTOR, OUTSIDER, Harness, running_tandem
from tests.surfaces.test_home_actions import published_home

SUBSCRIBE = "meeting.subscribe"


@pytest.fixture
def tandem(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem with a public address, so people can subscribe to their calendars."""
    yield from running_tandem(database_url, emulator, public_url=PUBLIC_URL)


def test_home_offers_the_feed_in_a_modal_and_keeps_no_address(tandem: Harness) -> None:
    weekly_pair(tandem)
    home = published_home(tandem, MENTOR)
    assert "/calendar/" not in str(home)
    before = len(tandem.emulator.calls("views.open"))
    tandem.slack.click_button_in(home, MENTOR, action_id=SUBSCRIBE)
    opened = tandem.emulator.wait_for("views.open", count=before + 1)[-1]
    text = str(opened.response["view"]["blocks"])
    [address] = re.findall(rf"{re.escape(PUBLIC_URL)}/calendar/[A-Za-z0-9_-]+\.ics", text)
    assert "webcal://tandem.example.com/calendar/" + address.rsplit("/", 1)[1] in text
    url = tandem.app_url.removesuffix("/slack/events") + address.removeprefix(PUBLIC_URL)
    assert str(main_event(feed(url))["SUMMARY"]) == "Noah · mentoring"


def test_someone_without_a_pair_gets_no_subscribe_button(tandem: Harness) -> None:
    weekly_pair(tandem)
    assert SUBSCRIBE not in str(published_home(tandem, OUTSIDER))


def test_without_a_public_address_home_has_no_subscribe_button(
    database_url: str, emulator: SlackEmulator
) -> None:
    for plain in running_tandem(database_url, emulator):
        weekly_pair(plain)
        home = published_home(plain, MENTOR)
        assert SUBSCRIBE not in str(home) and "My preferences" in str(home)

"""A Tandem with no HTTP server and no background sender: the test alone decides when to send."""

from collections.abc import Iterator

import pytest

from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.context import Tandem
from bot.core.people import ensure_person
from devkit.emulator import SlackEmulator
from tests.support.harness import ADMIN, MENTEE, MENTOR, OUTSIDER, START, TEAM_ID, settings_for_test


@pytest.fixture
def ctx(database_url: str, emulator: SlackEmulator) -> Iterator[Tandem]:
    """Tandem on the test database and the emulator, clock pinned at START, people known."""
    tandem = build_tandem(
        settings_for_test(database_url, emulator), clock=FrozenClock(START), migrate=False
    )
    client = tandem.client(TEAM_ID)
    with tandem.session() as session:
        for user_id in (MENTOR, MENTEE, OUTSIDER, ADMIN):
            ensure_person(session, client, TEAM_ID, user_id, START)
    emulator.clear_calls()
    yield tandem
    tandem.engine.dispose()

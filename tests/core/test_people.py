"""People: profiles and timezones from Slack, cached, and one row when two requests race."""

import threading

from sqlmodel import select

from bot.core.people import ensure_person, person_zone
from bot.core.results import Refused
from storage.models import Person, Workspace
from tests.support.harness import BOT_USER, DEACTIVATED, MENTEE, Harness


def test_two_first_requests_for_the_same_person_make_one_row(tandem: Harness) -> None:
    results: list[object] = []
    barrier = threading.Barrier(2)

    def meet() -> None:
        client = tandem.ctx.client(tandem.team_id)
        barrier.wait()
        with tandem.session() as session:
            person = ensure_person(session, client, tandem.team_id, MENTEE, tandem.clock.now())
            results.append(person.user_id if isinstance(person, Person) else person)

    threads = [threading.Thread(target=meet) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [MENTEE, MENTEE]
    with tandem.session() as session:
        assert len(session.exec(select(Person)).all()) == 1
        assert len(session.exec(select(Workspace)).all()) == 1


def test_profiles_come_with_timezone_and_flags(tandem: Harness) -> None:
    client = tandem.ctx.client(tandem.team_id)
    with tandem.session() as session:
        mentee = ensure_person(session, client, tandem.team_id, MENTEE, tandem.clock.now())
        bot = ensure_person(session, client, tandem.team_id, BOT_USER, tandem.clock.now())
        gone = ensure_person(session, client, tandem.team_id, DEACTIVATED, tandem.clock.now())
        unknown = ensure_person(session, client, tandem.team_id, "UNOBODY01", tandem.clock.now())
        assert str(person_zone(mentee, tandem.ctx.settings)) == "America/New_York"
        assert bot.is_bot and gone.deleted
        assert isinstance(unknown, Refused) and "couldn't find" in unknown.message

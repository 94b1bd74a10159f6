"""`/tandem charter history`: every version, who wrote it, who signed it, and each one readable."""

from datetime import timedelta

from sqlmodel import select

from bot.core.limits import validate_view
from storage.models import CharterAck, CharterVersion, Person
from tests.pairs.steps import click, open_charter
from tests.support.factories import DEFAULT_CHARTER, create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, Harness


def add_versions(tandem: Harness, pair_id: int, up_to: int) -> None:
    """Versions 2..`up_to`, a day apart, written (so signed) by Noah and not yet by Maya."""
    with tandem.session() as session:
        noah = session.exec(select(Person).where(Person.user_id == MENTEE)).one()
        for number in range(2, up_to + 1):
            fields = {**DEFAULT_CHARTER, "session_minutes": 15 + number}
            written = tandem.clock.now() + timedelta(days=number)
            version = CharterVersion(
                team_id=tandem.team_id,
                pair_id=pair_id,
                version=number,
                author_id=noah.id,
                created_at=written,
                change_summary="Changed: session length.",
                **fields,
            )
            session.add(version)
            session.flush()
            session.add(
                CharterAck(
                    team_id=tandem.team_id,
                    charter_version_id=version.id,
                    person_id=noah.id,
                    acked_at=written,
                )
            )
    tandem.clock.advance(timedelta(days=up_to + 1))  # today is after the last of them


def test_sixty_versions_fit_in_one_modal_with_a_way_to_older_ones(tandem: Harness) -> None:
    pair = create_active_pair(tandem)
    add_versions(tandem, pair.pair_id, 60)
    history = open_charter(tandem, MENTOR, "charter history")
    assert validate_view(history) == []
    shown = str(history["blocks"])
    assert "*Version 60* · current" in shown and "*Version 41*" in shown
    assert "*Version 40*" not in shown
    assert "Showing the latest 20 of 60 versions" in shown
    assert "`/tandem charter history <number>`" in shown
    assert "waiting for Maya" in shown

    # An older one, by number: read-only, with who wrote and who signed it.
    version_1 = open_charter(tandem, MENTOR, "charter history 1")
    assert version_1["title"]["text"] == "Charter v1" and not version_1.get("submit")
    text = str(version_1["blocks"])
    assert "replaced by v60" in text and "Acknowledged by Maya" in text and "Noah" in text
    assert "Help Noah grow into a tech lead." in text
    assert "charter.ack" not in text  # nothing to sign on a replaced version


def test_a_version_opens_from_the_history_and_can_be_acknowledged_there(tandem: Harness) -> None:
    pair = create_active_pair(tandem)
    add_versions(tandem, pair.pair_id, 2)
    history = open_charter(tandem, MENTOR, "charter history")
    click(tandem, history, MENTOR, "charter.view_version.2", answer="views.push")
    pushed = tandem.emulator.open_view(MENTOR)
    assert pushed["title"]["text"] == "Charter v2"
    assert "Acknowledged by Noah" in str(pushed) and "waiting for Maya" in str(pushed)

    click(tandem, pushed, MENTOR, "charter.ack", answer="views.update")
    refreshed = tandem.emulator.open_view(MENTOR)
    assert "Acknowledged by Noah (4 Mar 2026), Maya (5 Mar 2026)" in str(refreshed)
    assert "waiting for" not in str(refreshed)
    assert "charter.ack" not in str(refreshed["blocks"])


def test_a_version_that_does_not_exist_is_explained(tandem: Harness) -> None:
    create_active_pair(tandem)
    reply = tandem.slack.command(MENTOR, "charter history 7").json["text"]
    assert "There's no version 7: your charter has versions 1 to 1." in reply


def test_history_before_any_charter(tandem: Harness) -> None:
    create_active_pair(tandem, charter=None)
    history = open_charter(tandem, MENTEE, "charter history")
    assert "haven't written a charter yet" in str(history["blocks"])
    reply = tandem.slack.command(MENTEE, "charter history 1").json["text"]
    assert "hasn't written a charter yet" in reply


def test_with_several_pairs_history_asks_which(tandem: Harness) -> None:
    create_active_pair(tandem)
    other = create_active_pair(tandem, mentee=OTHER_MENTEE, charter=None)
    picker = open_charter(tandem, MENTOR, "charter history")
    assert picker["callback_id"] == "charter.pick"
    tandem.slack.submit_view(MENTOR, picker, {"pair.pick": str(other.pair_id)})
    assert "You and Ines haven't written a charter yet" in str(tandem.emulator.open_view(MENTOR))
    reply = tandem.slack.command(MENTOR, "charter history 1").json["text"]
    assert "`/tandem charter history @partner 1`" in reply
    by_name = open_charter(tandem, MENTOR, f"charter history <@{MENTEE}|noah> 1")
    assert by_name["title"]["text"] == "Charter v1"

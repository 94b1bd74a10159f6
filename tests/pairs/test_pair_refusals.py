"""Every way `/tandem pair` can be asked wrongly gets a kind private answer and writes nothing."""

import threading

import pytest
from sqlmodel import select

from bot.core.people import ensure_person
from storage.models import OutboxMessage, Pair, PairStatus, Person
from tests.pairs.steps import at, count, propose
from tests.support.factories import create_active_pair
from tests.support.harness import (
    ADMIN,
    BOT_USER,
    DEACTIVATED,
    MENTEE,
    MENTOR,
    OTHER_MENTEE,
    OUTSIDER,
    Harness,
)


def written(tandem: Harness) -> tuple[int, int, int]:
    return count(tandem, Pair), count(tandem, OutboxMessage), count(tandem, Person)


BAD_INPUT = [
    ("pair", "Who should I pair? Mention two people"),
    ("pair   ", "Who should I pair?"),
    ("pair @maya @noah", "Who should I pair?"),  # typed, not picked: Slack sent no mentions
    (f"pair {at(MENTEE)}", f"I found only <@{MENTEE}>"),
    (f"pair {at(MENTOR)} {at(MENTOR)}", f"you named <@{MENTOR}> twice"),
    (f"pair {at(MENTOR)} {at(MENTEE)} {at(OTHER_MENTEE)}", "exactly two people"),
    (f"pair {at(MENTOR)} <@{BOT_USER}>", f"<@{BOT_USER}> is a bot"),
    (f"pair {at(MENTOR)} <@{DEACTIVATED}|gone>", "account is deactivated"),
    (f"pair {at(MENTOR)} <@UNOBODY99>", "couldn't find the user `UNOBODY99`"),
]


def test_bad_input_is_answered_kindly_and_nothing_is_written(tandem: Harness) -> None:
    # One running Tandem for every case: starting one per case would cost more than the cases.
    for text, answer in BAD_INPUT:
        response = tandem.slack.command(MENTOR, text)
        assert response.status == 200, text
        assert response.json.get("response_type") == "ephemeral", text
        assert answer in response.json["text"], text
        assert written(tandem) == (0, 0, 0), text


def test_only_admins_pair_two_other_people(tandem: Harness) -> None:
    text = propose(tandem, OUTSIDER, MENTOR, MENTEE).json["text"]
    assert "Only programme admins can pair two other people" in text
    assert written(tandem) == (0, 0, 0)
    # The refusal comes before anyone is looked up: nothing is learnt about those two.
    looked_up = {call.args.get("user") for call in tandem.emulator.calls("users.info")}
    assert looked_up == {OUTSIDER}


def test_slack_workspace_admins_may_pair_two_others(tandem: Harness) -> None:
    tandem.emulator.add_user("UWSADMIN1", "wanda", tz="Europe/Paris", is_admin=True)
    text = propose(tandem, "UWSADMIN1", MENTOR, MENTEE).json["text"]
    assert "I've asked" in text
    assert count(tandem, Pair) == 1


@pytest.mark.parametrize("roles", ["same", "reversed"])
def test_an_existing_pair_is_not_proposed_again(tandem: Harness, roles: str) -> None:
    create_active_pair(tandem)
    before = written(tandem)
    mentor, mentee = (MENTOR, MENTEE) if roles == "same" else (MENTEE, MENTOR)
    text = propose(tandem, ADMIN, mentor, mentee).json["text"]
    assert "are already a pair" in text
    assert written(tandem)[:2] == before[:2]


def test_a_pending_proposal_is_not_proposed_twice(tandem: Harness) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    before = written(tandem)
    text = propose(tandem, MENTEE, MENTOR, MENTEE).json["text"]
    assert "already a proposal" in text and "waiting to be accepted" in text
    assert written(tandem) == before


def test_proposals_at_the_same_moment_make_one_pair(tandem: Harness) -> None:
    # Profiles are cached first, so the requests race on the pair itself, not on users.info.
    with tandem.session() as session:
        client = tandem.ctx.client(tandem.team_id)
        for user in (MENTOR, MENTEE, ADMIN):
            ensure_person(session, client, tandem.team_id, user, tandem.clock.now())
    replies: list[str] = []

    def propose_as(user: str) -> None:
        replies.append(propose(tandem, user, MENTOR, MENTEE).json["text"])

    threads = [threading.Thread(target=propose_as, args=(u,)) for u in (MENTOR, MENTEE, ADMIN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum("I've asked" in reply for reply in replies) == 1
    assert sum("already a proposal" in reply for reply in replies) == 2
    with tandem.session() as session:
        assert [p.status for p in session.exec(select(Pair))] == [PairStatus.PROPOSED]

"""Health from the database: it drops as meetings are missed, seen by the pair in reviews."""

import re
from datetime import timedelta

from bot.core.membership import membership_in
from bot.reflection.signals import health_lines
from storage.models import Contribution, Feedback, Pair
from tests.reflection.helpers import add_goal, add_meeting, command_modal, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness

ANSWERS = {
    "reflection.value": "4",
    "reflection.time": "right",
    "reflection.goals": "yes",
    "reflection.decision": "continue",
}


def both_ways(tandem: Harness, pair_id: int) -> None:
    """Feedback and giving back in both directions, so only meetings change the score."""
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        for author, other in ((pair.mentor_id, pair.mentee_id), (pair.mentee_id, pair.mentor_id)):
            session.add(
                Feedback(
                    team_id=tandem.team_id,
                    pair_id=pair_id,
                    author_id=author,
                    kind="general",
                    text="private words",
                    visibility="partner",
                    created_at=START,
                )
            )
            session.add(
                Contribution(
                    team_id=tandem.team_id,
                    pair_id=pair_id,
                    giver_id=author,
                    receiver_id=other,
                    text="a link",
                    created_at=START,
                )
            )


def review_now(tandem: Harness, count: int) -> str:
    for person in (MENTOR, MENTEE):
        tandem.slack.submit_view(person, command_modal(tandem, person, "review"), ANSWERS)
    return str(wait_dm(tandem, MENTEE, "both answers are in", count=count)["blocks"])


def health_score(text: str) -> int:
    match = re.search(r"Relationship health:\* (\d+)/100", text)
    assert match, text
    return int(match.group(1))


def test_the_score_falls_as_weekly_meetings_are_missed(tandem: Harness) -> None:
    ref = create_active_pair(tandem)  # weekly on Mondays
    both_ways(tandem, ref.pair_id)
    add_goal(tandem, ref.pair_id, "Lead the Q3 launch", percent=50)
    for week in (1, 2):
        add_meeting(tandem, ref.pair_id, START + timedelta(weeks=week, hours=1))

    tandem.clock.set(START + timedelta(days=16))
    kept = review_now(tandem, count=1)
    assert "Met 2 of 2 meetings" in kept

    tandem.clock.set(START + timedelta(days=37))  # three more Mondays came and went
    missed = review_now(tandem, count=2)
    assert "Met 2 of 5 meetings" in missed
    assert health_score(missed) < health_score(kept)


def test_health_lines_for_status_and_home(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    with tandem.session() as session:
        membership = membership_in(session, ref.pair_id, tandem.team_id, MENTEE)
        early = health_lines(session, membership, START + timedelta(hours=1))
        assert early[:2] == ["*Stage:* Skill building", "*Relationship health:* too early to tell"]
        later = health_lines(session, membership, START + timedelta(days=9))
        assert "*Relationship health:* 0/100" in later
        assert "• Met 0 of 1 meetings your cadence called for" in later

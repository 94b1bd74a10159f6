"""Programme health for admins: aggregates only, never what anyone wrote."""

from datetime import timedelta

from bot.reflection.programme import programme_health
from storage.models import Feedback, Goal, GoalStatus, Pair
from tests.reflection.helpers import add_goal, add_meeting, set_status
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, OTHER_MENTEE, OUTSIDER, START, Harness


def test_aggregates_without_private_content(tandem: Harness) -> None:
    kept = create_active_pair(tandem)
    lapsed = create_active_pair(tandem, mentee=OTHER_MENTEE)
    ended = create_active_pair(tandem, mentor=ADMIN, mentee=OUTSIDER)
    for week in (1, 2, 3):
        add_meeting(tandem, kept.pair_id, START + timedelta(weeks=week))
    done = add_goal(tandem, kept.pair_id, "Ship it", percent=100)
    add_goal(tandem, lapsed.pair_id, "Learn SQL", percent=20)
    with tandem.session() as session:
        goal = session.get(Goal, done)
        goal.status = GoalStatus.COMPLETED
        session.add(goal)
        pair = session.get(Pair, kept.pair_id)
        for visibility in ("partner", "programme", "programme"):
            session.add(
                Feedback(
                    team_id=tandem.team_id,
                    pair_id=pair.id,
                    author_id=pair.mentee_id,
                    kind="general",
                    text=f"SECRET {visibility}",
                    visibility=visibility,
                )
            )
    set_status(tandem, ended.pair_id, "ended")
    with tandem.session() as session:
        pair = session.get(Pair, ended.pair_id)
        pair.end_kind = "graduate"
        session.add(pair)

    with tandem.session() as session:
        stats = programme_health(session, tandem.team_id, START + timedelta(days=22))
    assert (stats.active_pairs, stats.paused_pairs, stats.lapsed_pairs) == (2, 0, 1)
    assert (stats.graduated_pairs, stats.closed_pairs) == (1, 0)
    assert stats.meeting_rate == 3 / 6  # 3 of 3 kept by one pair, 0 of 3 by the other
    assert stats.goal_completion == 1 / 2
    assert stats.feedback_counts == {"partner": 1, "programme": 2}
    assert stats.average_review_score is None
    shown = "\n".join(stats.lines())
    assert "SECRET" not in shown and "Ship it" not in shown
    assert "50% of expected meetings kept" in shown and "lapsed 1" in shown


def test_an_empty_programme_has_nothing_to_average(tandem: Harness) -> None:
    with tandem.session() as session:
        stats = programme_health(session, tandem.team_id, START)
    assert stats.active_pairs == 0 and stats.meeting_rate is None
    assert "–" in "\n".join(stats.lines())

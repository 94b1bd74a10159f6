"""Programme numbers for a period count the pairs that were active in it, ended ones included:
a cohort that has just graduated does not read "Meeting rate: –"."""

from datetime import datetime, timedelta

from bot.reflection.programme import programme_health
from storage.models import Goal, GoalStatus, Pair, PairStatus
from tests.reflection.helpers import add_goal, add_meeting
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, START, Harness
from tests.support.statements import statements_on

NOW = START + timedelta(weeks=10)


def graduated_pair(tandem: Harness, met_weeks: int, ended_at: datetime) -> int:
    """A weekly pair (from START) that met `met_weeks` times, then graduated at `ended_at`."""
    ref = create_active_pair(tandem)
    for week in range(1, met_weeks + 1):
        add_meeting(tandem, ref.pair_id, START + timedelta(weeks=week))
    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        pair.status, pair.end_kind, pair.ended_at = PairStatus.ENDED, "graduate", ended_at
        session.add(pair)
    return ref.pair_id


def admin_home(tandem: Harness) -> str:
    tandem.emulator.clear_calls()
    tandem.clock.set(NOW)
    tandem.slack.open_home(ADMIN)
    [call] = tandem.emulator.wait_for("views.publish")
    return str(call.args["view"]["blocks"])


def test_a_cohort_that_just_graduated_keeps_its_meeting_rate(tandem: Harness) -> None:
    # Weekly from START, met 6 of the 8 weeks before graduating two weeks ago.
    pair_id = graduated_pair(tandem, 6, START + timedelta(weeks=8, days=1))
    done = add_goal(tandem, pair_id, "Ship it", percent=100)
    add_goal(tandem, pair_id, "Learn SQL", percent=20)
    with tandem.session() as session:
        goal = session.get(Goal, done)
        goal.status = GoalStatus.COMPLETED
        session.add(goal)
    # Another pair ended long before the period: not part of its numbers.
    graduated_pair(tandem, 0, NOW - timedelta(weeks=20))
    with tandem.session() as session:
        stats = programme_health(session, tandem.team_id, NOW)
    assert stats.active_pairs == 0 and stats.graduated_pairs == 2
    assert stats.meeting_rate == 6 / 8  # expected up to the end, not to today
    assert stats.goal_completion == 1 / 2
    shown = admin_home(tandem)
    assert "*Meeting rate:* 75% of expected meetings kept" in shown
    assert "*Goal completion:* 50%" in shown and "Ship it" not in shown


def test_the_numbers_cost_the_same_statements_for_one_ended_pair_or_many(
    tandem: Harness,
) -> None:
    graduated_pair(tandem, 3, START + timedelta(weeks=8))

    def cost() -> int:
        with statements_on(tandem.ctx.engine) as seen, tandem.session() as session:
            programme_health(session, tandem.team_id, NOW)
        return len(seen)

    one = cost()
    for _ in range(6):
        graduated_pair(tandem, 2, START + timedelta(weeks=7))
    assert cost() == one

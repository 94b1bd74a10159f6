"""`goal_status_lines`: what /tandem status and App Home show about a pair's goals."""

from datetime import date

from sqlmodel import select

from bot.core.membership import membership_in
from bot.goals.status_lines import goal_status_lines
from storage.models import Goal, GoalStatus
from tests.support.harness import MENTEE, MENTOR


def lines_for(tandem, steps, user: str, today: date) -> list[str]:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        membership = membership_in(session, steps.pair.pair_id, tandem.team_id, user)
        return goal_status_lines(session, membership, today)


def test_progress_owner_and_overdue_milestones(tandem, steps) -> None:
    assert lines_for(tandem, steps, MENTEE, date(2026, 3, 2)) == []
    steps.create_goal(
        title="Lead the <Q3> launch",
        target=date(2026, 4, 30),
        milestones=[
            ("Write the design doc", date(2026, 3, 10)),
            ("Run the kickoff", date(2026, 3, 12)),
            ("Ship", date(2026, 4, 30)),
        ],
    )
    steps.create_goal(title="Speak at a meetup", target=None)
    with tandem.session() as session:
        paused = session.exec(select(Goal).where(Goal.title == "Speak at a meetup")).one()
        paused.status = GoalStatus.PAUSED
        session.add(paused)
    steps.create_goal(title="Done already", target=None)
    with tandem.session() as session:
        done = session.exec(select(Goal).where(Goal.title == "Done already")).one()
        done.status = GoalStatus.COMPLETED
        session.add(done)

    mine = lines_for(tandem, steps, MENTEE, date(2026, 3, 11))
    assert mine == [
        "🎯 *Lead the &lt;Q3&gt; launch*  ·  0%  ·  yours  ·  target Thu 30 Apr 2026  ·  "
        "0/3 milestones  ·  ⚠️ overdue: Write the design doc",
        "🎯 *Speak at a meetup*  ·  0%  ·  yours  ·  ⏸ paused",
        "🏆 1 goal completed",
    ]
    partners = lines_for(tandem, steps, MENTOR, date(2026, 3, 13))
    assert "Noah's" in partners[0]
    assert "overdue: Write the design doc, Run the kickoff" in partners[0]

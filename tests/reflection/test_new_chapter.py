"""After graduating: "Start a new chapter" proposes the next pair, linked to the last one,
with the charter as a draft and the open goals carried over."""

from sqlmodel import col, select

from storage.models import CharterVersion, Goal, GoalStatus, Milestone, Pair, PairStatus
from tests.pairs.steps import click_in_dm, open_charter
from tests.reflection.helpers import add_goal, command_modal, reply_text, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, Harness


def graduate(tandem: Harness, user: str = MENTOR, how: str = "graduate") -> dict:
    view = command_modal(tandem, user, "end")
    answer = tandem.slack.submit_view(user, view, {"reflection.how": how})
    return answer.json["view"]


def test_a_new_chapter_links_the_pairs_copies_the_charter_and_carries_open_goals(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    open_goal = add_goal(tandem, ref.pair_id, "Lead the Q3 launch", percent=40)
    done_goal = add_goal(tandem, ref.pair_id, "Write a design doc", percent=100)
    with tandem.session() as session:
        session.get(Goal, done_goal).status = GoalStatus.COMPLETED
        session.add(Milestone(team_id=tandem.team_id, goal_id=open_goal, position=0, title="Plan"))
    graduate(tandem)
    dm = wait_dm(tandem, MENTEE, "marked your mentorship as graduated")
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click_button_in(dm, MENTEE, action_id="reflection.chapter")
    tandem.emulator.wait_for("response_url", count=before + 1)
    assert "next chapter is proposed" in tandem.emulator.ephemeral_messages(user=MENTEE)[-1]["text"]

    with tandem.session() as session:
        new = session.exec(select(Pair).where(Pair.previous_pair_id == ref.pair_id)).one()
        assert new.status == PairStatus.PROPOSED and new.mentee_accepted_at is not None
        carried = session.exec(select(Goal).where(Goal.pair_id == new.id)).all()
        assert [(g.title, g.percent, g.carried_from_id) for g in carried] == [
            ("Lead the Q3 launch", 40, open_goal)
        ]
        assert [
            m.title
            for m in session.exec(select(Milestone).where(Milestone.goal_id == carried[0].id))
        ] == ["Plan"]
        assert (
            session.exec(select(CharterVersion).where(CharterVersion.pair_id == new.id)).all() == []
        )
    click_in_dm(tandem, MENTOR, "pair.proposal", "pair.accept")  # the partner consents
    form = open_charter(tandem, MENTOR)
    objectives = next(b for b in form["blocks"] if b.get("block_id") == "mentor_objectives")
    assert objectives["element"]["initial_value"] == "Help Noah grow into a tech lead."
    assert "new chapter" in str(form["blocks"][0])
    # A second click finds the chapter already started.
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click_button_in(dm, MENTEE, action_id="reflection.chapter")
    tandem.emulator.wait_for("response_url", count=before + 1)
    assert "already" in tandem.emulator.ephemeral_messages(user=MENTEE)[-1]["text"]


def test_a_closed_mentorship_has_no_next_chapter(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    shown = graduate(tandem, MENTEE, how="close")
    assert "reflection.chapter" not in str(shown)
    tandem.slack.click(MENTOR, "reflection.chapter", value=str(ref.pair_id))
    tandem.emulator.wait_for("response_url")
    assert (
        "Only a graduated mentorship" in tandem.emulator.ephemeral_messages(user=MENTOR)[-1]["text"]
    )
    with tandem.session() as session:
        assert session.exec(select(Pair).where(col(Pair.previous_pair_id).is_not(None))).all() == []
    assert "not in an active" in reply_text(tandem, MENTOR, "stage")

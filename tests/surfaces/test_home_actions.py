"""App Home you can act from: every item waiting on me has its button, each pair has buttons
to start things, and Home is published again after a change that concerns me, paced."""

from datetime import timedelta

from sqlmodel import select

from bot.surfaces import home_publish
from storage.models import CharterChangeRequest, Feedback, HomeRefresh, Meeting, MeetingStatus
from tests.reflection.helpers import reply_text
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, START, Harness


def published_home(tandem: Harness, user: str) -> dict:
    before = len(tandem.emulator.calls("views.publish"))
    tandem.slack.open_home(user)
    tandem.emulator.wait_for("views.publish", count=before + 1)
    return tandem.emulator.home(user)


def item_with(home: dict, text: str) -> dict:
    found = [b for b in home["blocks"] if text in str(b.get("text", ""))]
    assert found, [b.get("text") for b in home["blocks"]]
    return found[0]


def test_every_waiting_item_has_its_button(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    with tandem.session() as session:
        session.add(
            Meeting(
                team_id=tandem.team_id,
                pair_id=ref.pair_id,
                starts_at=START - timedelta(days=2),
                status=MeetingStatus.SCHEDULED,
            )
        )
        session.add(
            CharterChangeRequest(
                team_id=tandem.team_id,
                pair_id=ref.pair_id,
                charter_version_id=ref.charter_id,
                requester_id=2,
                note="More async check-ins, please.",
            )
        )
        session.add(
            Feedback(
                team_id=tandem.team_id,
                pair_id=ref.pair_id,
                author_id=2,
                kind="general",
                text="Your design review tips were gold.",
                visibility="partner",
                created_at=START,
            )
        )
    home = published_home(tandem, MENTOR)
    assert item_with(home, "Did you meet")["accessory"]["action_id"] == "meeting.met"
    assert item_with(home, "More async check-ins")["accessory"]["action_id"] == "charter.open"
    assert item_with(home, "design review tips")["accessory"]["action_id"] == (
        "reflection.feedback.reply"
    )
    starts = next(b for b in home["blocks"] if b.get("block_id") == f"home.start.{ref.pair_id}")
    assert [e["text"]["text"] for e in starts["elements"]] == [
        "New goal",
        "Post progress",
        "Log a meeting",
        "Feedback",
        "Share",
        "Celebrate a win",
    ]
    # Acting from Home: "We met" opens the notes; "New goal" opens the goal form for this pair.
    before = len(tandem.emulator.calls("views.open"))
    tandem.slack.click_button_in(home, MENTOR, action_id="meeting.met")
    tandem.emulator.wait_for("views.open", count=before + 1)
    assert tandem.emulator.open_view(MENTOR)["callback_id"] == "meeting.notes"
    with tandem.session() as session:
        assert session.exec(select(Meeting)).one().status == MeetingStatus.MET
    tandem.slack.close_view(MENTOR, tandem.emulator.open_view(MENTOR))
    home = tandem.emulator.home(MENTOR)
    tandem.slack.click_button_in(home, MENTOR, action_id="home.goal")
    tandem.emulator.wait_for("views.open", count=before + 2)
    assert tandem.emulator.open_view(MENTOR)["callback_id"] == "goal.create"


def test_an_outsider_cannot_start_things_in_someone_elses_pair(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.slack.click(OUTSIDER, "home.goal", value=str(ref.pair_id))
    tandem.emulator.wait_for("views.open")
    shown = str(tandem.emulator.open_view(OUTSIDER))
    assert "couldn't find that mentorship" in shown and "goal.create" not in shown


def test_home_is_published_again_after_a_change_that_concerns_me(tandem: Harness) -> None:
    create_active_pair(tandem)
    published_home(tandem, MENTOR)
    assert "nothing shared yet" in str(tandem.emulator.home(MENTOR))
    before = len(tandem.emulator.calls("views.publish"))
    reply_text(tandem, MENTEE, "share Read 'Staff Engineer'")  # Maya does not open Home again
    tandem.emulator.wait_for(
        lambda c: c.method == "views.publish" and c.args.get("user_id") == MENTOR,
        count=sum(1 for c in tandem.emulator.calls("views.publish") if c.args["user_id"] == MENTOR)
        + 1,
    )
    assert "you shared 0 · received 1" in str(tandem.emulator.home(MENTOR))
    # Noah never opened Home: nothing is published for him.
    assert all(c.args["user_id"] != MENTEE for c in tandem.emulator.calls("views.publish")[before:])
    with tandem.session() as session:
        assert session.exec(select(HomeRefresh)).all() == []  # every mark drained


def test_publishes_are_paced_per_workspace() -> None:
    pace = home_publish._Pace()
    taken = [pace.take("T1") for _ in range(home_publish.PUBLISHES_PER_MINUTE + 10)]
    assert taken.count(True) == home_publish.PUBLISHES_PER_MINUTE < 100  # Tier 4: 100+/min
    assert pace.take("T2")  # another workspace has its own budget

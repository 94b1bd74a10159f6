"""`/tandem feedback`: to the partner by DM (Thanks, Reply), or for the programme only."""

from sqlmodel import select

from storage.models import Feedback
from tests.reflection.helpers import (
    add_goal,
    click_modal,
    command_modal,
    dm_text,
    reply_text,
    wait_dm,
)
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, Harness


def options(view: dict, block_id: str) -> list[str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element = block["element"]
    found = element.get("options") or [
        o for group in element.get("option_groups", []) for o in group["options"]
    ]
    return [o["value"] for o in found]


def test_mentee_feedback_reaches_the_mentor_who_thanks_and_replies(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTEE, "feedback")
    assert options(view, "kind") == ["support", "applied", "general"]
    assert options(view, "visibility") == ["partner", "programme"]
    answer = tandem.slack.submit_view(
        MENTEE,
        view,
        {
            "reflection.kind": "support",
            "reflection.text": "More <b>concrete</b> examples in design reviews, please.",
            "reflection.visibility": "partner",
        },
    )
    assert answer.ok and not answer.problems
    assert "on its way to Maya" in str(tandem.emulator.open_view(MENTEE))

    dm = wait_dm(tandem, MENTOR, "concrete")
    assert "Noah" in dm["text"]
    assert "on how you could support them better" in str(dm["blocks"])  # said to the mentor
    assert "&lt;b&gt;concrete&lt;/b&gt;" in str(dm["blocks"])  # escaped, never markup

    tandem.slack.click_button_in(dm, MENTOR, action_id="reflection.feedback.thanks")
    wait_dm(tandem, MENTEE, "thanked you for your feedback")
    tandem.emulator.wait_for("response_url")
    updated = tandem.emulator.message(dm["channel"], dm["ts"])
    assert "You said thanks" in str(updated["blocks"])
    assert "reflection.feedback.thanks" not in str(updated["blocks"])

    modal = click_modal(tandem, MENTOR, updated, "reflection.feedback.reply")
    tandem.slack.submit_view(MENTOR, modal, {"reflection.reply": "Deal: I'll bring two next time."})
    wait_dm(tandem, MENTEE, "bring two next time")
    tandem.emulator.wait_for("chat.update")
    refreshed = tandem.emulator.message(dm["channel"], dm["ts"])
    assert "You replied" in str(refreshed["blocks"])
    assert "reflection.feedback.reply" not in str(refreshed["blocks"])


def test_programme_only_feedback_is_never_shown_to_the_partner(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    view = command_modal(tandem, MENTEE, "feedback")
    tandem.slack.submit_view(
        MENTEE,
        view,
        {
            "reflection.kind": "general",
            "reflection.text": "Sessions often start late.",
            "reflection.visibility": "programme",
        },
    )
    assert "will not see it" in str(tandem.emulator.open_view(MENTEE))
    tandem.run_due()
    assert "start late" not in dm_text(tandem, MENTOR)
    with tandem.session() as session:
        stored = session.exec(select(Feedback)).one()
        assert (stored.pair_id, stored.visibility) == (ref.pair_id, "programme")


def test_a_mentor_writes_general_feedback_only(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTOR, "feedback Great progress on the launch plan")
    assert "kind" not in [b.get("block_id") for b in view["blocks"]]
    tandem.slack.submit_view(MENTOR, view, {"reflection.visibility": "partner"})
    dm = wait_dm(tandem, MENTEE, "Great progress on the launch plan")
    assert "has feedback for you" in dm["text"]


def test_bad_input_gets_field_errors_and_saves_nothing(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTEE, "feedback")
    answer = tandem.slack.submit_view(
        MENTEE,
        view,
        {"reflection.kind": "support", "reflection.text": "  ", "reflection.visibility": "partner"},
        check_required=False,
    )
    assert answer.json["response_action"] == "errors"
    assert "text" in answer.json["errors"]
    with tandem.session() as session:
        assert session.exec(select(Feedback)).all() == []


def test_kinds_and_goals_follow_the_chosen_pair(tandem: Harness) -> None:
    first = create_active_pair(tandem)
    second = create_active_pair(tandem, mentor=MENTEE, mentee=OTHER_MENTEE)
    mine = add_goal(tandem, first.pair_id, "Run design reviews")
    theirs = add_goal(tandem, second.pair_id, "Learn SQL")
    view = command_modal(tandem, MENTEE, "feedback")
    assert set(options(view, "goal")) == {str(mine), str(theirs)}
    answer = tandem.slack.submit_view(
        MENTEE,
        view,
        {
            "pair.pick": str(second.pair_id),  # Noah mentors Ines here
            "reflection.kind": "support",
            "reflection.text": "You could ask more questions.",
            "reflection.goal": str(mine),
            "reflection.visibility": "partner",
        },
    )
    assert answer.json["response_action"] == "errors"
    assert set(answer.json["errors"]) == {"kind", "goal"}

    answer = tandem.slack.submit_view(
        MENTEE,
        view,
        {
            "pair.pick": str(second.pair_id),
            "reflection.kind": "general",
            "reflection.text": "You could ask more questions.",
            "reflection.goal": str(theirs),
            "reflection.visibility": "partner",
        },
    )
    assert answer.json["response_action"] == "update"
    dm = wait_dm(tandem, OTHER_MENTEE, "ask more questions")
    assert "Learn SQL" in str(dm["blocks"])


def test_feedback_at_a_partner_by_mention(tandem: Harness) -> None:
    create_active_pair(tandem)
    create_active_pair(tandem, mentor=MENTEE, mentee=OTHER_MENTEE)
    view = command_modal(tandem, MENTEE, f"feedback <@{OTHER_MENTEE}|ines>")
    assert "pair" not in [b.get("block_id") for b in view["blocks"]]
    assert "Ines" in str(view["blocks"])
    text = reply_text(tandem, MENTEE, "feedback <@UNOBODY1>")
    assert "don't have an active pair" in text

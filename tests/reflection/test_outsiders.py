"""Someone outside a pair learns nothing from any reflection entry point, and changes nothing."""

from sqlmodel import select

from storage.models import (
    Contribution,
    Feedback,
    OutboxMessage,
    Pair,
    Retrospective,
    Review,
    ReviewAnswer,
    StageChange,
)
from tests.reflection.helpers import click_modal, command_modal, reply_text, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, Harness

NOT_FOUND = ("couldn't find that mentorship", "couldn't find that feedback")
NO_PAIR = "not in an active mentoring pair"


def snapshot(tandem: Harness) -> tuple:
    with tandem.session() as session:
        pair = session.exec(select(Pair)).one()
        return (
            pair.status,
            pair.stage,
            *(
                len(session.exec(select(model)).all())
                for model in (
                    Feedback,
                    Contribution,
                    Review,
                    ReviewAnswer,
                    Retrospective,
                    StageChange,
                    OutboxMessage,
                )
            ),
        )


def as_outsider(view: dict) -> dict:
    """The same modal, as if someone else had got hold of it (Slack would never show it)."""
    return {**view, "id": f"V{view['id']}X"}


COMMANDS = [
    "feedback",
    f"feedback <@{MENTOR}>",
    "share a tip",
    f"share <@{MENTEE}> hi",
    "share",
    "review",
    f"review <@{MENTOR}>",
    "end",
    f"end <@{MENTEE}>",
]


def test_commands_answer_as_if_there_were_no_pair(tandem: Harness) -> None:
    create_active_pair(tandem)
    before = snapshot(tandem)
    for text in COMMANDS:
        answer = reply_text(tandem, OUTSIDER, text)
        assert NO_PAIR in answer and "Maya" not in answer and "Noah" not in answer, text
    assert snapshot(tandem) == before
    assert tandem.emulator.calls("views.open") == []


def test_history_shows_an_outsider_nothing(tandem: Harness) -> None:
    create_active_pair(tandem)
    answer = tandem.slack.command(OUTSIDER, "review history").json
    assert "Maya" not in str(answer) and "Noah" not in str(answer)


def test_buttons_with_someone_elses_ids_do_nothing(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    view = command_modal(tandem, MENTEE, "feedback")
    tandem.slack.submit_view(
        MENTEE,
        view,
        {
            "reflection.kind": "general",
            "reflection.text": "Great sessions",
            "reflection.visibility": "partner",
        },
    )
    wait_dm(tandem, MENTOR, "Great sessions")
    review = command_modal(tandem, MENTOR, "review")
    tandem.slack.submit_view(
        MENTOR,
        review,
        {
            "reflection.value": "4",
            "reflection.time": "right",
            "reflection.goals": "yes",
            "reflection.decision": "continue",
        },
    )
    with tandem.session() as session:
        feedback_id = session.exec(select(Feedback)).one().id
        review_id = session.exec(select(Review)).one().id
    before = snapshot(tandem)
    pair = str(ref.pair_id)
    clicks = [
        (OUTSIDER, "reflection.feedback.open.general", f"{pair}:general"),
        (OUTSIDER, "reflection.feedback.thanks", str(feedback_id)),
        (OUTSIDER, "reflection.feedback.reply", str(feedback_id)),
        (MENTEE, "reflection.feedback.thanks", str(feedback_id)),  # the author, not the recipient
        (OUTSIDER, "reflection.feedback.ask", pair),
        (MENTEE, "reflection.feedback.ask", pair),  # only a mentor asks
        (OUTSIDER, "reflection.share.open", pair),
        (OUTSIDER, "reflection.review.open", str(review_id)),
        (OUTSIDER, "reflection.review.open", "99999"),
        (OUTSIDER, "reflection.end.note", pair),
    ]
    for count, (user, action_id, value) in enumerate(clicks, 1):
        assert tandem.slack.click(user, action_id, value).ok
        said = tandem.emulator.wait_for("response_url", count=count)[-1].args
        assert any(words in said["text"] for words in NOT_FOUND), (action_id, said)
        assert "Maya" not in str(said) and "Great sessions" not in str(said)
    assert snapshot(tandem) == before
    opened = [
        c.args.get("view", {}).get("callback_id") for c in tandem.emulator.calls("views.open")
    ]
    assert opened == ["reflection.feedback", "reflection.review"]  # the members' own


def test_modal_submissions_with_someone_elses_ids_change_nothing(tandem: Harness) -> None:
    create_active_pair(tandem)
    feedback = command_modal(tandem, MENTEE, "feedback")
    share = command_modal(tandem, MENTEE, "share")
    review = command_modal(tandem, MENTEE, "review")
    end = command_modal(tandem, MENTEE, "end")
    before = snapshot(tandem)
    submissions = [
        (
            feedback,
            {
                "reflection.kind": "general",
                "reflection.text": "x" * 10,
                "reflection.visibility": "partner",
            },
        ),
        (share, {"reflection.text": "a tip", "reflection.kind": "insight"}),
        (
            review,
            {
                "reflection.value": "1",
                "reflection.time": "right",
                "reflection.goals": "yes",
                "reflection.decision": "conclude",
            },
        ),
        (end, {"reflection.how": "close"}),
    ]
    for view, values in submissions:
        crafted = as_outsider(view)
        answer = tandem.slack.submit_view(OUTSIDER, crafted, values)
        assert answer.json["response_action"] == "update"
        assert "couldn't find that mentorship" in str(answer.json["view"])
        # The crafted modal never existed in Slack: clear the outsider's screen for the next.
        tandem.emulator.close_modal(OUTSIDER, crafted["id"])
        for shown in tandem.emulator.view_stack(OUTSIDER):
            tandem.emulator.close_modal(OUTSIDER, shown["id"])
    assert snapshot(tandem) == before


def test_a_reply_modal_in_the_wrong_hands_sends_nothing(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTEE, "feedback")
    tandem.slack.submit_view(
        MENTEE,
        view,
        {
            "reflection.kind": "general",
            "reflection.text": "Great sessions",
            "reflection.visibility": "partner",
        },
    )
    dm = wait_dm(tandem, MENTOR, "Great sessions")
    reply = click_modal(tandem, MENTOR, dm, "reflection.feedback.reply")
    before = snapshot(tandem)
    answer = tandem.slack.submit_view(OUTSIDER, as_outsider(reply), {"reflection.reply": "Ha!"})
    assert "couldn't find that feedback" in str(answer.json["view"])
    assert snapshot(tandem) == before


def test_closing_words_in_the_wrong_hands_are_refused(tandem: Harness) -> None:
    create_active_pair(tandem)
    tandem.slack.submit_view(
        MENTEE, command_modal(tandem, MENTEE, "end"), {"reflection.how": "close"}
    )
    dm = wait_dm(tandem, MENTOR, "closed your mentorship")
    note = click_modal(tandem, MENTOR, dm, "reflection.end.note")
    before = snapshot(tandem)
    answer = tandem.slack.submit_view(
        OUTSIDER, as_outsider(note), {"reflection.thank_you": "Thanks from nobody"}
    )
    assert "couldn't find that mentorship" in str(answer.json["view"])
    assert snapshot(tandem) == before

"""The periodic review: its modal, the invitation, "waiting for your partner", the results."""

from typing import Any, Protocol

from bot.core.kit import (
    actions,
    button,
    checked_message,
    context,
    divider,
    header,
    modal,
    mrkdwn_escape,
    section,
)
from bot.core.membership import Membership
from bot.core.picker import pair_label, pair_picker_block
from bot.meetings.blocks.messages import pause_button
from bot.reflection.blocks.common import choice_input, name_of, option, quoted, text_input
from bot.reflection.blocks.drift import review_topic
from bot.reflection.blocks.stage import stage_select_block
from bot.reflection.review_rules import (
    DECISION_LABELS,
    END,
    GOALS_LABELS,
    NOTE_LIMIT,
    PAUSE,
    REVISE,
    TIME_LABELS,
    VALUE_LABELS,
    suggested_actions,
)
from storage.models import Review, ReviewAnswer

REVIEW_CALLBACK = "reflection.review"
REVIEW_OPEN_ACTION = "reflection.review.open"
# The results' buttons for what they suggest (Pause is the meetings' pause form).
REVISE_ACTION, END_ACTION = "reflection.review.revise", "reflection.review.end"
ALREADY_ANSWERED = (
    "You've answered this review. Your partner's answers stay hidden until they have answered "
    "too; then you'll both see both side by side."
)
PRIVATE = "Your answers are seen only by you two, and only once you have both answered."


class Seen(Protocol):
    """A review round as one member sees it (bot.reflection.reviews.ReviewSeen)."""

    membership: Membership
    review: Review
    mine: ReviewAnswer | None
    theirs: ReviewAnswer | None


def review_modal(choices: list[Membership], review_id: int | None = None) -> dict[str, Any]:
    """The review questions; a pair picker only when there is more than one pair."""
    blocks: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {"review": review_id}
    if len(choices) == 1:
        metadata["pair"] = choices[0].pair.id
        blocks.append(
            section(f"How is your mentorship {mrkdwn_escape(pair_label(choices[0]))} going?")
        )
        blocks += review_topic(choices[0].pair)
    else:
        blocks.append(pair_picker_block(choices))
    blocks += [
        context(PRIVATE),
        choice_input(
            "value",
            "Value gained so far",
            [option(label, value) for value, label in VALUE_LABELS.items()],
        ),
        choice_input(
            "time",
            "Is the time commitment right?",
            [option(label, value) for value, label in TIME_LABELS.items()],
        ),
        choice_input(
            "goals",
            "Are your goals still the right ones?",
            [option(label, value) for value, label in GOALS_LABELS.items()],
        ),
        choice_input(
            "decision",
            "How would you like to go on?",
            [option(label, value) for value, label in DECISION_LABELS.items()],
        ),
        text_input(
            "note",
            "Anything else? (a note for your partner)",
            max_length=NOTE_LIMIT,
            optional=True,
        ),
    ]
    return modal(
        "Review", blocks, callback_id=REVIEW_CALLBACK, submit="Save answers", metadata=metadata
    )


def _answer_text(answer: ReviewAnswer) -> str:
    lines = [
        f"*Value:* {VALUE_LABELS.get(str(answer.value_score), answer.value_score)}",
        f"*Time:* {TIME_LABELS.get(answer.time_commitment, answer.time_commitment)}",
        f"*Goals still right:* {GOALS_LABELS.get(answer.goals_still_right, '')}",
        f"*Go on:* {DECISION_LABELS.get(answer.decision, answer.decision)}",
    ]
    if answer.note:
        lines.append(quoted(answer.note, 1200))
    return "\n".join(lines)


def answers_blocks(seen: Seen) -> list[dict[str, Any]]:
    """My answers, and the partner's beside them only when the round is complete."""
    me = seen.membership.me
    if seen.mine is None:
        return []
    if seen.theirs is None:
        return [section(f"*Your answers*\n{_answer_text(seen.mine)}")]
    return [
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": f"*{name_of(me)} (you)*\n{_answer_text(seen.mine)}"[:2000],
                },
                {
                    "type": "mrkdwn",
                    "text": f"*{name_of(seen.membership.partner)}*\n{_answer_text(seen.theirs)}"[
                        :2000
                    ],
                },
            ],
        }
    ]


def waiting_blocks(seen: Seen) -> list[dict[str, Any]]:
    """What the first to answer sees: their own answers, and that the partner's are to come."""
    partner = name_of(seen.membership.partner)
    return [
        section(f"Thank you, your answers are saved. *Waiting for your partner*, {partner}."),
        *answers_blocks(seen),
        context(
            f"{partner}'s answers stay hidden until they have answered; then you'll both get "
            "both side by side in a DM."
        ),
    ]


def waiting_view(seen: Seen) -> dict[str, Any]:
    """The modal after the first answer (or when opening a round one has already answered)."""
    return modal(
        "Review", waiting_blocks(seen), callback_id="reflection.review.waiting", close="Close"
    )


def results_blocks(seen: Seen, steps: list[str], health_lines: list[str]) -> list[dict[str, Any]]:
    """Both members' answers side by side, suggested next steps, health, and the stage."""
    return [
        header(f"Your review, round {seen.review.round}: both answers"),
        *answers_blocks(seen),
        divider(),
        section("*Suggested next steps*\n" + "\n".join(f"• {step}" for step in steps)),
        section("\n".join(health_lines)),
        stage_select_block(seen.membership.pair),
        context("These answers are seen only by you two."),
    ]


def results_message(
    seen: Seen, steps: list[str], health_lines: list[str]
) -> tuple[str, list[dict[str, Any]]]:
    """The DM each member gets once both have answered."""
    text = f"Your review with {name_of(seen.membership.partner)}: both answers are in"
    blocks = results_blocks(seen, steps, health_lines)
    buttons = next_step_buttons(seen)
    if buttons:
        blocks.insert(-3, buttons)  # under the suggested steps, above the health lines
    return text, checked_message(blocks)


def next_step_buttons(seen: Seen) -> dict[str, Any] | None:
    """Buttons for what the suggested steps call for: Revise the charter (its form), Pause
    (the pause form), End (the end form, with its own confirmation); None when none."""
    pair_id = seen.membership.pair.id or 0
    answers = [a for a in (seen.mine, seen.theirs) if a is not None]
    made = {
        REVISE: lambda: button("Revise the charter", REVISE_ACTION, str(pair_id)),
        PAUSE: lambda: pause_button(pair_id),
        END: lambda: button("End", END_ACTION, str(pair_id)),
    }
    wanted = [made[action]() for action in suggested_actions(answers)]
    return actions(*wanted, block_id="reflection.review.next") if wanted else None


def results_view(seen: Seen, steps: list[str], health_lines: list[str]) -> dict[str, Any]:
    """The same results in a modal (for the second to answer, or an old button)."""
    return modal(
        "Review results",
        results_blocks(seen, steps, health_lines),
        callback_id="reflection.review.results",
        close="Close",
    )


def invite_message(
    membership: Membership, review: Review, *, partner_answered: bool
) -> tuple[str, list[dict[str, Any]]]:
    """The DM that asks a member to answer a review round."""
    partner = name_of(membership.partner)
    if partner_answered:
        text = f"{partner} has answered your mentorship review. Your turn"
        lead = f"*{partner}* has answered your mentorship review. Your turn: it takes two minutes."
    else:
        text = "Time for your mentorship review"
        lead = (
            f"It's time to look back on your mentorship with *{partner}*: how much value it "
            "brings, whether the time and the goals are right, and how to go on."
        )
    blocks = [
        section(lead),
        *review_topic(membership.pair),
        context(PRIVATE),
        actions(
            button("Answer the review", REVIEW_OPEN_ACTION, str(review.id), style="primary"),
            block_id="reflection.review",
        ),
    ]
    return text, checked_message(blocks)

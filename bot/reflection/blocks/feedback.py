"""Feedback: the modal, the DM the partner receives, the reply modal and the prompts."""

import re
from typing import Any

from bot.core.kit import (
    actions,
    button,
    checked_message,
    clip,
    context,
    modal,
    mrkdwn_escape,
    section,
)
from bot.core.membership import Membership
from bot.core.picker import pair_label, pair_picker_block
from bot.reflection.blocks.common import (
    choice_input,
    input_id,
    name_of,
    option,
    plain,
    quoted,
    text_input,
)
from bot.reflection.feedback_rules import (
    KIND_LABELS,
    TEXT_LIMIT,
    VISIBILITY_LABELS,
    kinds_offered,
)
from storage.models import Feedback, Goal

FEEDBACK_CALLBACK = "reflection.feedback"
REPLY_CALLBACK = "reflection.feedback.reply"
# "reflection.feedback.open.<kind>": one message may offer several kinds, and action ids
# must be unique in a message.
OPEN_ACTION = re.compile(r"^reflection\.feedback\.open\.[a-z]+$")
THANKS_ACTION = "reflection.feedback.thanks"
REPLY_ACTION = "reflection.feedback.reply"
ASK_ACTION = "reflection.feedback.ask"


def open_action(kind: str) -> str:
    """The action id of a button that opens the feedback modal with `kind` chosen."""
    return f"reflection.feedback.open.{kind}"


def _goal_block(choices: list[Membership], goals: dict[int, list[Goal]]) -> dict[str, Any] | None:
    """An optional select of the pairs' goals (grouped by pair when there are several)."""
    groups = []
    for membership in choices:
        options = [
            option(goal.title, str(goal.id)) for goal in goals.get(membership.pair.id or 0, [])
        ]
        if options:
            groups.append((membership, options))
    if not groups:
        return None
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": input_id("goal"),
        "placeholder": plain("Not about a particular goal"),
    }
    if len(groups) == 1:
        element["options"] = groups[0][1][:100]
    else:
        element["option_groups"] = [
            {"label": plain(pair_label(m)), "options": opts[:100]} for m, opts in groups[:100]
        ]
    return {
        "type": "input",
        "block_id": "goal",
        "optional": True,
        "label": plain("Is it about one of your goals?"),
        "element": element,
    }


def feedback_modal(
    choices: list[Membership],
    goals: dict[int, list[Goal]],
    *,
    kind: str | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    """The `/tandem feedback` modal; a pair picker only when there is more than one pair."""
    blocks: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {}
    if len(choices) == 1:
        only = choices[0]
        metadata["pair"] = only.pair.id
        blocks.append(context(f"Feedback in your mentorship {mrkdwn_escape(pair_label(only))}."))
    else:
        blocks.append(pair_picker_block(choices))
    kinds = kinds_offered(sorted({m.role for m in choices}))
    if len(kinds) > 1:
        blocks.append(
            choice_input(
                "kind",
                "What is it about?",
                [option(KIND_LABELS[k], k) for k in kinds],
                initial=kind if kind in kinds else None,
            )
        )
    blocks.append(
        text_input(
            "text",
            "Your feedback",
            max_length=TEXT_LIMIT,
            initial=text,
            placeholder="Be specific: what happened, what helped, what would help more.",
        )
    )
    goal_block = _goal_block(choices, goals)
    if goal_block is not None:
        blocks.append(goal_block)
    blocks.append(
        choice_input(
            "visibility",
            "Who may see it?",
            [option(label, value) for value, label in VISIBILITY_LABELS.items()],
            initial="partner",
            hint="Programme admins only ever see counts, never what you wrote.",
        )
    )
    return modal(
        "Feedback", blocks, callback_id=FEEDBACK_CALLBACK, submit="Send", metadata=metadata
    )


def feedback_sent_text(membership: Membership, feedback: Feedback) -> str:
    """What the author sees once their feedback is saved."""
    partner = name_of(membership.partner)
    if feedback.visibility == "partner":
        return f"Thank you. Your feedback is on its way to {partner} by DM."
    return (
        f"Thank you. Your feedback is saved for the programme only: {partner} will not see it, "
        "and admins only ever see counts."
    )


def feedback_message(
    feedback: Feedback, author: Membership, goal: Goal | None
) -> tuple[str, list[dict[str, Any]]]:
    """The DM the partner gets: the feedback, with Thanks and Reply (while not yet used)."""
    name = name_of(author.me)
    about = {
        "support": "on how you could support them better",
        "applied": "on how they applied your advice, and what happened",
        "general": "",
    }[feedback.kind]
    lead = f"*{name}* has feedback for you {about}".rstrip() + ":"
    blocks = [section(f"{lead}\n{quoted(feedback.text)}")]
    if goal is not None:
        blocks.append(context(f"About the goal: {mrkdwn_escape(clip(goal.title, 150))}"))
    done = []
    if feedback.thanked_at is not None:
        done.append("You said thanks.")
    if feedback.replied_at is not None:
        done.append(f"You replied:\n{quoted(feedback.reply, 1000)}")
    if done:
        blocks.append(context(" ".join(done)))
    buttons = []
    if feedback.thanked_at is None:
        buttons.append(button("🙏 Thanks", THANKS_ACTION, str(feedback.id)))
    if feedback.replied_at is None:
        buttons.append(button("Reply", REPLY_ACTION, str(feedback.id)))
    if buttons:
        blocks.append(actions(*buttons, block_id="reflection.feedback"))
    return f"{name} has feedback for you", checked_message(blocks)


def thanks_message(feedback: Feedback, thanker: Membership) -> tuple[str, list[dict[str, Any]]]:
    """The DM the author gets when the partner says thanks."""
    text = f"🙏 {name_of(thanker.me)} thanked you for your feedback."
    blocks = [section(f"{text}\n{quoted(feedback.text, 300)}")]
    return text, checked_message(blocks)


def reply_modal(feedback: Feedback, author_name: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """A modal to answer feedback; the answer goes back to its author by DM."""
    blocks = [
        section(f"*{author_name}* wrote:\n{quoted(feedback.text, 1500)}"),
        text_input("reply", f"Your reply to {author_name}", max_length=TEXT_LIMIT),
    ]
    return modal(
        "Reply", blocks, callback_id=REPLY_CALLBACK, submit="Send reply", metadata=metadata
    )


def reply_message(feedback: Feedback, replier: Membership) -> tuple[str, list[dict[str, Any]]]:
    """The DM the author gets with the partner's reply."""
    name = name_of(replier.me)
    text = f"{name} replied to your feedback"
    blocks = [
        section(f"*{name}* replied to your feedback:\n{quoted(feedback.reply)}"),
        context(f"You wrote: {mrkdwn_escape(clip(feedback.text, 200))}"),
    ]
    return text, checked_message(blocks)


def mentor_prompt(membership: Membership) -> tuple[str, list[dict[str, Any]]]:
    """The scheduled nudge to a mentor: ask the mentee how to support them better."""
    mentee = name_of(membership.partner)
    text = f"Time to ask {mentee}: how can I support you better?"
    blocks = [
        section(
            f"It's time for a feedback check-in with *{mentee}*. Ask them: "
            "*how can I support you better?* You can bring it up at your next meeting, "
            "or ask now and their answer will come to you here."
        ),
        actions(
            button(
                f"Ask {membership.partner.real_name or 'them'} now",
                ASK_ACTION,
                str(membership.pair.id),
                style="primary",
            ),
            button("Write feedback", open_action("general"), f"{membership.pair.id}:general"),
            block_id="reflection.prompt",
        ),
    ]
    return text, checked_message(blocks)


def mentee_prompt(membership: Membership) -> tuple[str, list[dict[str, Any]]]:
    """The scheduled nudge to a mentee: how did you apply the advice, and what was hard?"""
    mentor = name_of(membership.partner)
    text = f"How did you apply {mentor}'s advice lately?"
    blocks = [
        section(
            f"A moment to look back: how did you apply *{mentor}*'s advice lately, and what "
            "happened? What is hard right now? A few honest lines help you both."
        ),
        actions(
            button(
                "Share how it went",
                open_action("applied"),
                f"{membership.pair.id}:applied",
                style="primary",
            ),
            button(
                "How they could support me", open_action("support"), f"{membership.pair.id}:support"
            ),
            block_id="reflection.prompt",
        ),
    ]
    return text, checked_message(blocks)


def ask_message(mentor: Membership) -> tuple[str, list[dict[str, Any]]]:
    """The DM a mentee gets when their mentor asks for feedback."""
    name = name_of(mentor.me)
    text = f"{name} asks: how can I support you better?"
    blocks = [
        section(f"*{name}* asks: *how can I support you better?*"),
        actions(
            button("Answer", open_action("support"), f"{mentor.pair.id}:support", style="primary"),
            block_id="reflection.ask",
        ),
    ]
    return text, checked_message(blocks)


def asked_blocks(membership: Membership) -> list[dict[str, Any]]:
    """The mentor's prompt once they asked: the question went out, no more buttons."""
    mentee = name_of(membership.partner)
    return checked_message(
        [
            section(
                f"✓ You asked *{mentee}* how you can support them better. Their answer "
                "will come to you here."
            )
        ]
    )

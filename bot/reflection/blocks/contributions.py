"""Giving back: the share modal, the DM the partner gets, and the monthly giving-back notes."""

from typing import Any, Protocol

from bot.core.kit import (
    actions,
    button,
    checked_message,
    context,
    modal,
    mrkdwn_escape,
    section,
)
from bot.core.membership import Membership
from bot.core.picker import pair_label, pair_picker_block
from bot.reflection.blocks.common import choice_input, name_of, option, quoted, text_input
from bot.reflection.contribution_rules import KIND_LABELS, TEXT_LIMIT
from storage.models import Contribution


class Counts(Protocol):
    """Contributions both ways from one member's side (bot.reflection.sharing.ShareCounts)."""

    given: int
    received: int


SHARE_CALLBACK = "reflection.share"
SHARE_OPEN_ACTION = "reflection.share.open"
ARTICLES = {
    "insight": "an insight",
    "article": "an article",
    "tool": "a tool",
    "introduction": "an introduction",
    "review": "a review of your work",
    "story": "a story from their own path",
    "misstep": "a misstep and what they learned",
}
# How the sharer is told what they shared, where ARTICLES' words would name the partner.
OWN_WORDS = {"story": "a story from your own path", "misstep": "a misstep and what you learned"}


def share_modal(
    choices: list[Membership], *, kind: str | None = None, text: str | None = None
) -> dict[str, Any]:
    """The `/tandem share` modal; a pair picker only when there is more than one pair."""
    blocks: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {}
    if len(choices) == 1:
        metadata["pair"] = choices[0].pair.id
        blocks.append(context(f"Sharing {mrkdwn_escape(pair_label(choices[0]))}."))
    else:
        blocks.append(pair_picker_block(choices))
    blocks.append(
        text_input(
            "text",
            "What are you sharing?",
            max_length=TEXT_LIMIT,
            initial=text,
            placeholder="A link, an idea, a person worth meeting, notes on their work…",
        )
    )
    blocks.append(
        choice_input(
            "kind",
            "What kind of thing is it?",
            [option(label, value) for value, label in KIND_LABELS.items()],
            radio=False,
            initial=kind or "insight",
        )
    )
    return modal(
        "Share something", blocks, callback_id=SHARE_CALLBACK, submit="Share", metadata=metadata
    )


def shared_message(
    contribution: Contribution, giver: Membership
) -> tuple[str, list[dict[str, Any]]]:
    """The DM the partner gets with what was shared."""
    name = name_of(giver.me)
    what = ARTICLES.get(contribution.kind, "something")
    text = f"{name} shared {what} with you"
    blocks = [
        section(f"*{name}* shared {what} with you:\n{quoted(contribution.text, mentions=True)}")
    ]
    return text, checked_message(blocks)


def shared_text(membership: Membership, kind: str, counts: Counts, *, hint: bool = False) -> str:
    """The sharer's confirmation with the counts both ways (and, after the command, how to
    name the kind)."""
    partner = name_of(membership.partner)
    what = OWN_WORDS.get(kind) or ARTICLES.get(kind, "something").replace("your", "their")
    text = (
        f"Shared with {partner} as {what}. So far you've shared {counts.given} with "
        f"{partner}, and {partner} {counts.received} with you."
    )
    if hint:
        text += (
            "\n_Not the right kind? Name it first: `/tandem share tool <link>` (insight, "
            "article, tool, intro, review, story, misstep)._"
        )
    return text


def digest_message(
    membership: Membership, received: list[Contribution], given_total: int, received_total: int
) -> tuple[str, list[dict[str, Any]]]:
    """The mentor's monthly digest of what their mentee gave them."""
    mentee = name_of(membership.partner)
    text = f"What {mentee} gave you this month"
    items = "\n".join(
        f"• {ARTICLES.get(c.kind, 'something')}: "
        f"{mrkdwn_escape(c.text[:140])}{'…' if len(c.text) > 140 else ''}"
        for c in received[:10]
    )
    more = f"\n…and {len(received) - 10} more." if len(received) > 10 else ""
    blocks = [
        section(f"*Giving back goes both ways.* Lately *{mentee}* shared with you:\n{items}{more}"),
        context(
            f"In all, you've shared {given_total} things with {mentee}, and {mentee} "
            f"{received_total} with you."
        ),
    ]
    return text, checked_message(blocks)


def invite_message(membership: Membership, mentor_gave: int) -> tuple[str, list[dict[str, Any]]]:
    """The mentee's occasional invitation to give something back to their mentor."""
    mentor = name_of(membership.partner)
    text = f"Is there something you could share with {mentor}?"
    blocks = [
        section(
            f"*{mentor}* has shared {mentor_gave} things with you lately. Mentoring works both "
            f"ways: is there an article, a tool, an introduction or a fresh view you could share "
            f"with {mentor}? Mentors learn a lot from their mentees."
        ),
        actions(
            button("Share something", SHARE_OPEN_ACTION, str(membership.pair.id), style="primary"),
            block_id="reflection.giveback",
        ),
        context("Or any time: `/tandem share <text or link>`."),
    ]
    return text, checked_message(blocks)

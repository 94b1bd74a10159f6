"""The mentor's quarterly invitation to share a story from their own path or a misstep: in
their meeting reminder, or (no reminder carried it) as a DM of its own."""

from typing import Any

from bot.core.kit import actions, button, checked_message, context, divider, section
from bot.core.membership import Membership
from bot.reflection.blocks.common import name_of
from storage.models import Person

# Opens the share modal with a kind already chosen; the value is "<pair id>:<kind>".
SHARE_AS_ACTION = "reflection.share.as"
STORY_BLOCK = "reflection.story"


def _invite(mentee: str) -> str:
    return (
        f":books: *A story from your own path for {mentee}?* Advice lands better with the "
        "real situation behind it: a decision you weighed, how you got through a hard "
        "stretch, or a misstep and what you did next. Is there one that "
        f"{mentee} would recognise from where they are now?"
    )


def _footer(mentee: str) -> dict[str, Any]:
    return context(
        "About once a quarter. Any time: `/tandem share story <text>` or "
        f"`/tandem share misstep <text>`. Only {mentee} sees what you share."
    )


def _share_button(pair_id: int) -> dict[str, Any]:
    return actions(
        button("Share a story", SHARE_AS_ACTION, f"{pair_id}:story", style="primary"),
        block_id=STORY_BLOCK,
    )


def story_invite_message(mentor: Membership) -> tuple[str, list[dict[str, Any]]]:
    """The DM that invites the mentor (`mentor.me`) to share a story or a misstep."""
    mentee = name_of(mentor.partner)
    text = f"A story from your own path for {mentee}?"
    blocks = [section(_invite(mentee)), _share_button(mentor.pair.id or 0), _footer(mentee)]
    return text, checked_message(blocks)


def story_invite_section(pair_id: int, mentee: Person) -> list[dict[str, Any]]:
    """The same invitation as a section of the mentor's meeting reminder (appended after it)."""
    name = name_of(mentee)
    return [divider(), section(_invite(name)), _share_button(pair_id), _footer(name)]

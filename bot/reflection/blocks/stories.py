"""The mentor's quarterly invitation to share a story from their own path or a misstep."""

from typing import Any

from bot.core.kit import actions, button, checked_message, context, section
from bot.core.membership import Membership
from bot.reflection.blocks.common import name_of

# Opens the share modal with a kind already chosen; the value is "<pair id>:<kind>".
SHARE_AS_ACTION = "reflection.share.as"
STORY_BLOCK = "reflection.story"


def story_invite_message(mentor: Membership) -> tuple[str, list[dict[str, Any]]]:
    """The DM that invites the mentor (`mentor.me`) to share a story or a misstep."""
    mentee = name_of(mentor.partner)
    text = f"A story from your own path for {mentee}?"
    blocks = [
        section(
            f":books: *A story from your own path for {mentee}?* Advice lands better with the "
            "real situation behind it: a decision you weighed, how you got through a hard "
            "stretch, or a misstep and what you did next. Is there one that "
            f"{mentee} would recognise from where they are now?"
        ),
        actions(
            button("Share a story", SHARE_AS_ACTION, f"{mentor.pair.id}:story", style="primary"),
            block_id=STORY_BLOCK,
        ),
        context(
            "About once a quarter. Any time: `/tandem share story <text>` or "
            f"`/tandem share misstep <text>`. Only {mentee} sees what you share."
        ),
    ]
    return text, checked_message(blocks)

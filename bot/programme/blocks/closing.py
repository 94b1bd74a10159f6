"""The closing invitation a cohort's pairs get when it ends, and the admins' note."""

from typing import Any

from bot.core.kit import actions, button, checked_message, context, section
from storage.models import Cohort, Pair, Person

REVIEW_ACTION = "programme.closing.review"
GRADUATE_ACTION = "programme.closing.graduate"
CONTINUE_ACTION = "programme.closing.continue"


def closing_invitation(
    cohort: Cohort, pair: Pair, partner: Person
) -> tuple[str, list[dict[str, Any]]]:
    """The DM to one member: look back together, then graduate or continue."""
    text = (
        f"Your cohort *{cohort.name}* ended on {cohort.ends_on:%-d %B %Y}. Take a moment with "
        f"<@{partner.user_id}> to look back on what you gained, then decide together: graduate "
        "(end on a high, with a thank-you) or continue as you are."
    )
    blocks = [
        section(text),
        actions(
            button("Closing review", REVIEW_ACTION, str(pair.id), style="primary"),
            button("Graduate", GRADUATE_ACTION, str(pair.id)),
            button("Continue", CONTINUE_ACTION, str(pair.id)),
            block_id=f"programme.closing.{pair.id}",
        ),
        context("Your answers stay between the two of you; admins only see the counts."),
    ]
    return f"Your cohort {cohort.name} has ended: time to look back together.", checked_message(
        blocks
    )


def admins_closing_note(cohort: Cohort, pairs: int) -> str:
    """What admins hear when a cohort ends (counts only)."""
    return (
        f"The cohort “{cohort.name}” ended on {cohort.ends_on:%-d %B %Y}: its {pairs} live "
        "pair(s) were invited to a closing review and to graduate or continue. "
        "`/tandem admin cohorts` shows how they do."
    )


def continue_reply(partner: Person) -> str:
    """The answer to Continue."""
    return (
        f"Lovely: you and <@{partner.user_id}> carry on as you are. Nothing changes; "
        "`/tandem end` is there whenever you're ready to graduate."
    )

"""What celebrations say: warm words in the pair's group DM, the consent question to the owner,
and the channel announcement, which names the win and both people and nothing else."""

from dataclasses import dataclass
from typing import Any

from bot.core.kit import actions, button, checked_message, clip, context, section
from bot.goals.blocks.messages import user_text
from storage.models import Goal, Milestone, Person

SHARE_ACTION = "goal.share"
NO_SHARE_ACTION = "goal.noshare"
RETRY_ACTION = "goal.share_retry"
WIN_SHOWN = 500  # a win's words, as shown (win_rules.WIN_LIMIT keeps them to this)

PRIVACY_NOTE = (
    "Only the names of the goal and milestone and your two names are shared: never why it "
    "matters, updates, blockers, notes or feedback."
)
WIN_PRIVACY_NOTE = (
    "Only your words above and your two names are shared: nothing else from your mentorship."
)


def _message(text: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": clip(text, 3000), "blocks": checked_message(blocks)}


def milestone_cheer(
    goal: Goal, milestone: Milestone, owner: Person, done: int, total: int, share_note: str
) -> dict[str, Any]:
    """The group-DM message when a milestone is done."""
    text = (
        f"🎉 Milestone done: *{user_text(milestone.title, 200)}*, on the way to "
        f"*{user_text(goal.title, 200)}*. Well done <@{owner.user_id}>! "
        f"That's {done} of {total}."
    )
    blocks = [section(text)]
    if share_note:
        blocks.append(context(share_note))
    return _message(f"Milestone done: {milestone.title}", blocks)


def goal_cheer(goal: Goal, owner: Person, partner: Person, share_note: str) -> dict[str, Any]:
    """The group-DM message when a goal is completed."""
    text = (
        f"🏆 Goal complete: *{user_text(goal.title, 200)}*! Congratulations "
        f"<@{owner.user_id}>, and thank you <@{partner.user_id}> for walking alongside."
    )
    if goal.status_reason:
        text += f"\n> {user_text(goal.status_reason, 500)}"
    blocks = [section(text)]
    if share_note:
        blocks.append(context(share_note))
    return _message(f"Goal complete: {goal.title}", blocks)


def anniversary_cheer(mentor: Person, mentee: Person, months: int) -> dict[str, Any]:
    """The group-DM message on the pair's 3, 6 or 12 months together."""
    span = "a whole year" if months == 12 else f"{months} months"
    text = (
        f"🎂 <@{mentor.user_id}> and <@{mentee.user_id}>, you've now been mentoring together "
        f"for {span}. Thank you for keeping it going! What's one thing you'd each name as the "
        "biggest change since you started?"
    )
    return _message(f"{span} of mentoring together", [section(text)])


def streak_cheer(mentor: Person, mentee: Person, meetings: int) -> dict[str, Any]:
    """The group-DM message when the pair kept `meetings` meetings in a row."""
    text = (
        f"🔥 {meetings} meetings in a row, none skipped! <@{mentor.user_id}> and "
        f"<@{mentee.user_id}>, that rhythm is what makes mentoring work."
    )
    return _message(f"{meetings} meetings in a row", [section(text)])


@dataclass(frozen=True)
class Announcement:
    """The programme-channel post: the win and both people, nothing private."""

    headline: str
    credit: str
    fallback: str
    note: str = PRIVACY_NOTE  # what the owner is told is shared, when asked

    def message(self) -> dict[str, Any]:
        """As posted in the channel."""
        return _message(self.fallback, [section(self.headline), context(self.credit)])


def announcement(
    goal: Goal, milestone: Milestone | None, owner: Person, mentor: Person, mentee: Person
) -> Announcement:
    """What would be announced for a milestone (or, without one, the goal) being done."""
    goal_title = user_text(goal.title, 200)
    if milestone is not None:
        headline = (
            f"🎉 *Milestone reached!* <@{owner.user_id}> just completed "
            f"*{user_text(milestone.title, 200)}* on the way to *{goal_title}*."
        )
    else:
        headline = f"🏆 *Goal achieved!* <@{owner.user_id}> completed *{goal_title}*."
    credit = (
        f"A Tandem mentorship: <@{mentee.user_id}> (mentee) with <@{mentor.user_id}> (mentor). "
        "Shared with their consent."
    )
    fallback = f"A mentorship win: {clip(milestone.title if milestone else goal.title, 150)}"
    return Announcement(headline, credit, fallback)


def win_cheer(owner: Person, partner: Person, story: str, share_note: str) -> dict[str, Any]:
    """The group-DM message for a win outside any goal (`/tandem celebrate`)."""
    text = (
        f"🎉 <@{owner.user_id}> has a win to celebrate!\n> {user_text(story, WIN_SHOWN)}\n"
        f"<@{partner.user_id}>, a word of congratulations goes a long way."
    )
    blocks = [section(text)]
    if share_note:
        blocks.append(context(share_note))
    return _message(f"A win to celebrate: {clip(story, 150)}", blocks)


def win_announcement(story: str, owner: Person, mentor: Person, mentee: Person) -> Announcement:
    """What would be announced for a win outside any goal: the owner's words and both names."""
    headline = f"🎉 *A win to celebrate!* <@{owner.user_id}>: {user_text(story, WIN_SHOWN)}"
    credit = (
        f"A Tandem mentorship: <@{mentee.user_id}> (mentee) with <@{mentor.user_id}> (mentor). "
        "Shared with their consent."
    )
    fallback = f"A mentorship win: {clip(story, 150)}"
    return Announcement(headline, credit, fallback, note=WIN_PRIVACY_NOTE)


def consent_request(
    celebration_id: int, channel: str, preview: Announcement, what: str
) -> dict[str, Any]:
    """The DM asking the owner whether to share a win in the programme channel."""
    value = str(celebration_id)
    blocks = [
        section(f"🎉 Congratulations on {what}! Share this in <#{channel}>?"),
        section("\n".join(f"> {line}" for line in preview.headline.splitlines())),
        context(preview.credit),
        context(preview.note),
        actions(
            button("Share", SHARE_ACTION, value, "primary"),
            button("Don't share", NO_SHARE_ACTION, value),
        ),
    ]
    return _message(f"Share this in the celebrations channel? ({clip(what, 100)})", blocks)


def consent_answered(text: str) -> dict[str, Any]:
    """The consent DM once answered (buttons gone, the decision shown)."""
    return _message(text, [section(text)])


def share_failed(celebration_id: int, channel: str, error: str, what: str) -> dict[str, Any]:
    """The DM telling the owner the announcement could not be posted, and how to fix it."""
    value = str(celebration_id)
    blocks = [
        section(f"I couldn't share {what} in <#{channel}>. {fix_hint(error, channel)}"),
        context("Nothing is lost: press Retry once it's fixed."),
        actions(
            button("Retry", RETRY_ACTION, value, "primary"),
            button("Don't share", NO_SHARE_ACTION, value),
        ),
    ]
    return _message(f"I couldn't share {clip(what, 100)} in the celebrations channel.", blocks)


def fix_hint(error: str | None, channel: str) -> str:
    """What to do about a Slack error when posting in the celebrations channel."""
    if error == "not_in_channel":
        return (
            f"I'm not a member of <#{channel}>: invite me by typing `/invite @Tandem` in "
            "that channel, or ask a programme admin to pick another celebrations channel."
        )
    if error == "is_archived":
        return (
            f"<#{channel}> is archived: ask a programme admin to pick another celebrations "
            "channel (or to unarchive it)."
        )
    if error == "channel_not_found":
        return (
            "That channel no longer exists or is private to me: ask a programme admin to pick "
            "another celebrations channel, or invite @Tandem to it."
        )
    return f"Slack said `{clip(error or 'unknown error', 60)}`."

"""Ending well: the end modal, the partner's DM, their closing note, and how to start again."""

from typing import Any

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
from bot.pairs.blocks import KEEP_IN_TOUCH_HINT, keep_in_touch_button
from bot.reflection.blocks.common import choice_input, name_of, option, quoted, text_input

END_CALLBACK = "reflection.end"
CHAPTER_ACTION = "reflection.chapter"
HOW_ACTION = "reflection.how"
NOTE_CALLBACK = "reflection.end.note"
NOTE_ACTION = "reflection.end.note"
ALREADY_CLOSED = "You've already written your closing words for this mentorship."
HOW = {
    "graduate": ("🎓 Graduate", "We met our goals: celebrate and close."),
    "close": ("Close", "End it here, kindly, whatever the reason."),
}


def renew_hint(membership: Membership) -> str:
    """How the two can start again, with the exact command."""
    pair = membership.pair
    mentor, mentee = (
        (membership.me, membership.partner)
        if pair.mentor_id == membership.me.id
        else (membership.partner, membership.me)
    )
    if pair.end_kind == "graduate":
        return (
            "Want to keep going? “Start a new chapter” makes your next mentorship together: "
            "this charter as a draft, the goals still open carried over, this one linked. "
            f"(Or start afresh: `/tandem pair` <@{mentor.user_id}> <@{mentee.user_id}>.)"
        )
    return (
        "Want to work together again one day? "
        f"`/tandem pair` <@{mentor.user_id}> <@{mentee.user_id}> starts a fresh mentorship "
        "with a new charter; this one stays in your history."
    )


def _closing_words(partner: str) -> list[dict[str, Any]]:
    """A closing reflection for the history, and a thank-you for the partner (both optional)."""
    return [
        text_input(
            "reflection",
            "Closing reflection: what you take away",
            optional=True,
            hint="Kept in the history you both can read.",
        ),
        text_input(
            "thank_you", f"A thank-you note to {partner}", optional=True, hint="Sent to them by DM."
        ),
    ]


def end_modal(choices: list[Membership], how: str | None = None) -> dict[str, Any]:
    """Graduate or Close, a closing reflection, a thank-you, and (only once Close is chosen)
    a private reason: choosing dispatches an action, and the modal is updated."""
    blocks: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {}
    partner = "your partner"
    if len(choices) == 1:
        metadata["pair"] = choices[0].pair.id
        partner = choices[0].partner.real_name or choices[0].partner.display_name or partner
        blocks.append(section(f"End your mentorship {mrkdwn_escape(pair_label(choices[0]))}."))
    else:
        blocks.append(pair_picker_block(choices))
    blocks += [
        {
            **choice_input(
                "how",
                "How is it ending?",
                [option(label, value, description) for value, (label, description) in HOW.items()],
                initial=how,
            ),
            "dispatch_action": True,
        },
        *_closing_words(partner),
    ]
    if how == "close":
        blocks.append(
            text_input(
                "reason",
                "Private reason for closing",
                optional=True,
                hint=f"Only you will ever see it: never {partner}, never the programme admins.",
            )
        )
    blocks.append(context("Ending stops every reminder and nudge for this mentorship."))
    return modal(
        "End mentorship", blocks, callback_id=END_CALLBACK, submit="End", metadata=metadata
    )


def ended_text(membership: Membership, thanked: bool) -> str:
    """What the member who ended it sees."""
    partner = name_of(membership.partner)
    how = "graduated 🎓" if membership.pair.end_kind == "graduate" else "closed"
    sent = (
        f" Your thank-you is on its way to {partner}." if thanked else f" {partner} has been told."
    )
    return (
        f"Your mentorship with {partner} has {how}. Every reminder and nudge has stopped.{sent}\n"
        f"Your reviews and closing words stay readable: `/tandem review history`.\n"
        f"{renew_hint(membership)}"
    )


def ended_view(membership: Membership, thanked: bool) -> dict[str, Any]:
    """The modal the member who ended it sees (graduates can start the next chapter there)."""
    blocks = [section(ended_text(membership, thanked))]
    if membership.pair.end_kind == "graduate":
        blocks.append(
            actions(
                button("Start a new chapter", CHAPTER_ACTION, str(membership.pair.id), "primary"),
                keep_in_touch_button(membership.pair.id),
                block_id="reflection.chapter",
            )
        )
        blocks.append(context(KEEP_IN_TOUCH_HINT))
    return modal("Mentorship ended", blocks, close="Close")


def ended_message(membership: Membership, thank_you: str) -> tuple[str, list[dict[str, Any]]]:
    """The DM the partner gets: the ending, the thank-you, and a button for their own words."""
    name = name_of(membership.me)
    if membership.pair.end_kind == "graduate":
        text = f"🎓 {name} marked your mentorship as graduated"
        lead = f"🎓 *{name}* marked your mentorship as *graduated*. Congratulations to you both!"
    else:
        text = f"{name} closed your mentorship"
        lead = f"*{name}* closed your mentorship in Tandem. Thank you for the time you gave it."
    blocks = [section(lead)]
    if thank_you:
        blocks.append(section(f"*Their thank-you to you:*\n{quoted(thank_you)}"))
    buttons = [button("Write your closing words", NOTE_ACTION, str(membership.pair.id))]
    if membership.pair.end_kind == "graduate":
        buttons.append(button("Start a new chapter", CHAPTER_ACTION, str(membership.pair.id)))
        buttons.append(keep_in_touch_button(membership.pair.id))
    blocks += [
        actions(*buttons, block_id="reflection.end"),
        *([context(KEEP_IN_TOUCH_HINT)] if membership.pair.end_kind == "graduate" else []),
        context(
            "Reminders and nudges for this mentorship have stopped. "
            + renew_hint(Membership(membership.pair, membership.partner, membership.me))
        ),
    ]
    return text, checked_message(blocks)


def closing_note_modal(membership: Membership) -> dict[str, Any]:
    """The partner's own closing reflection and thank-you."""
    partner = membership.partner.real_name or membership.partner.display_name or "your partner"
    blocks = _closing_words(partner)
    metadata = {"pair": membership.pair.id}
    return modal(
        "Closing words", blocks, callback_id=NOTE_CALLBACK, submit="Save", metadata=metadata
    )


def thank_you_message(membership: Membership, thank_you: str) -> tuple[str, list[dict[str, Any]]]:
    """The DM carrying the partner's thank-you after an ending."""
    name = name_of(membership.me)
    text = f"{name} sent you a thank-you"
    return text, checked_message(
        [section(f"💛 *{name}* sent you a thank-you:\n{quoted(thank_you)}")]
    )


def chapter_started_text(proposed: Any) -> str:
    """What the member who started the next chapter sees."""
    asked = ", ".join(f"<@{p.user_id}>" for p in proposed.asked) or "your partner"
    return (
        f"Your next chapter is proposed: {asked} is asked to accept. Once they do, "
        "`/tandem charter` opens last chapter's charter as a draft to revise, and the goals "
        "still open are carried over."
    )

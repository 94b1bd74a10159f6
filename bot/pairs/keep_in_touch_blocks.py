"""What keeping in touch says: the answer to the choice, the two check-ins, the catch-up form
and the catch-up both see in their conversation."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.kit import (
    actions,
    button,
    checked_message,
    clip,
    context,
    date_time_inputs,
    modal,
    mrkdwn_escape,
    plain,
    section,
)
from storage.models import Person

Message = tuple[str, list[dict[str, Any]]]

CATCH_UP_ACTION = "pair.catch_up"
CATCH_UP_CALLBACK = "pair.catch_up"
DATE_BLOCK, TIME_BLOCK, NOTE_BLOCK = "catch_up.date", "catch_up.time", "catch_up.note"
NOTE_LIMIT = 500


def _at(person: Person) -> str:
    return f"<@{person.user_id}>"


def slack_when(instant: datetime) -> str:
    """Slack's date token (each reader's own zone and clock); the fallback names UTC."""
    utc = instant.astimezone(UTC)
    fallback = f"{utc:%A} {utc.day} {utc:%B} at {utc:%H:%M} UTC"
    return f"<!date^{int(utc.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>"


def chosen_text(partner: Person, keep: bool, both: bool) -> str:
    """What the person who chose (or took it back) is told."""
    if not keep:
        return (
            "Okay: no check-ins from me. Your history stays on Home under Past mentorships; "
            "you can change your mind there."
        )
    if both:
        return (
            f"You and {_at(partner)} both chose to keep in touch 💛 I'll check in with you both "
            "once at 3 months and once at 6 after your graduation. Nothing else."
        )
    return (
        f"Noted: you'd like to keep in touch. If {_at(partner)} chooses it too, I'll check in "
        "with you both at 3 and 6 months. They aren't told unless they choose it too."
    )


def check_in_message(pair_id: int, partner: Person, months: int) -> Message:
    """The light check-in DM, naming the partner, with a button to plan a catch-up."""
    name = partner.real_name or partner.display_name or "your mentoring partner"
    text = f"It's been {months} months since you and {name} graduated. How are things?"
    lead = (
        f"👋 It's been {months} months since you and {_at(partner)} graduated. "
        "How are things? Want to catch up?"
    )
    blocks = [
        section(lead),
        actions(
            button("Plan a catch-up", CATCH_UP_ACTION, str(pair_id), "primary"),
            block_id=f"pair.check_in.{pair_id}",
        ),
    ]
    if months == 3:
        blocks.append(context("One more check-in at 6 months, then I'll leave you be."))
    else:
        blocks.append(context("That's my last check-in. Keep going, the two of you!"))
    return text, checked_message(blocks)


def catch_up_modal(pair_id: int, partner: Person, initial: datetime, zone: ZoneInfo) -> dict:
    """One catch-up on a date and time of the person's choosing, posted where both see it."""
    name = partner.real_name or partner.display_name or "your partner"
    blocks: list[dict[str, Any]] = [
        section(f"Suggest a time to catch up with {clip(name, 100)}. They'll see it with you."),
        *date_time_inputs(initial, zone, "Date", DATE_BLOCK, TIME_BLOCK),
        {
            "type": "input",
            "block_id": NOTE_BLOCK,
            "optional": True,
            "label": plain("A word for them"),
            "element": {
                "type": "plain_text_input",
                "action_id": NOTE_BLOCK,
                "max_length": NOTE_LIMIT,
                "placeholder": plain("Coffee? A call? What's new?"),
            },
        },
        context("Just this once: no series, no reminders."),
    ]
    return modal(
        "Plan a catch-up",
        blocks,
        callback_id=CATCH_UP_CALLBACK,
        submit="Suggest it",
        metadata={"pair": pair_id},
    )


def catch_up_post(asker: Person, partner: Person, starts_at: datetime, note: str) -> Message:
    """What both see in their conversation: who suggested it, when, and their word."""
    when = slack_when(starts_at)
    text = f"{asker.real_name or 'Your former partner'} suggests catching up"
    blocks = [section(f"☕ {_at(asker)} suggests catching up with {_at(partner)}: *{when}*.")]
    if note:
        blocks.append(section(f"> {mrkdwn_escape(clip(note, NOTE_LIMIT))}"))
    blocks.append(context("Reply here to confirm or find another time."))
    return text, checked_message(blocks)


def catch_up_sent(partner: Person, starts_at: datetime) -> str:
    """The confirmation to the person who suggested it."""
    return f"Suggested to {_at(partner)} for {slack_when(starts_at)}, in your conversation."

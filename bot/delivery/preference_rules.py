"""What each person may change about Tandem's nudges: their own quiet hours, snoozing a kind
of nudge for a while, muting one they don't want.

Rules (pure functions; the sender applies them through bot/delivery/gate.py):
- A person's own quiet hours replace the workspace's, for messages to them.
- Any nudge (bot/delivery/kind_rules.py) can be snoozed until tomorrow morning or next Monday
  morning, in the person's timezone: it waits, it is not dropped.
- Only nudges that are the person's own business can be muted (invitations to give back, the
  giving-back digest, feedback prompts). Feedback prompts come from the rhythm both agreed in
  the charter, so muting them is allowed only by telling both (the partner hears it).
  Meeting reminders and "did you meet?" are the pair's shared rhythm (changed for both in the
  reminder settings), and lapse notes exist to catch a mentorship going quiet: never muted.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.delivery.blocks import SNOOZE_ACTION_PREFIX
from bot.delivery.policy_rules import QuietHours, quiet_hours

# kind → how people call it (the same words in the preferences modal and in the notice).
MUTABLE_KINDS = {
    "reflection.prompt": "feedback prompts",
    "reflection.giveback": "invitations to give back",
    "reflection.digest": "the monthly giving-back digest",
}
# Muting these changes what the pair agreed in the charter: the partner is told.
AGREED_IN_CHARTER = frozenset({"reflection.prompt"})
SNOOZABLE_KINDS = {
    "meeting.reminder": "meeting reminders",
    "meeting.followup": "“did you meet?” questions",
    "meeting.lapse": "“it's gone quiet” nudges",
    **MUTABLE_KINDS,
    "reflection.review": "review invitations",
}
SNOOZE_CHOICES = {"tomorrow": "Until tomorrow", "next_week": "Until next week"}
MAX_BLOCKS = 50


@dataclass(frozen=True)
class MuteRule:
    """Whether a kind of nudge can be muted, and whether the partner must hear of it."""

    allowed: bool
    tell_partner: bool = False
    reason: str = ""


def mute_rule(kind: str) -> MuteRule:
    """May a person mute nudges of `kind` for themselves?"""
    if kind not in MUTABLE_KINDS:
        return MuteRule(
            False,
            reason=(
                "Meeting reminders and check-ins are your pair's shared rhythm: change them for "
                "both of you in the reminder settings, or snooze one for a while."
            ),
        )
    return MuteRule(True, tell_partner=kind in AGREED_IN_CHARTER)


def personal_quiet_hours(workspace: QuietHours, start: str | None, end: str | None) -> QuietHours:
    """The quiet hours that hold a person's messages: their own when set, else the workspace's."""
    if start is None and end is None:
        return workspace
    return quiet_hours(start, end)


def snooze_until(choice: str, now: datetime, zone: ZoneInfo, morning: time) -> datetime | None:
    """The end of a snooze chosen at `now`: tomorrow morning, or next Monday morning, in the
    person's own timezone (their quiet hours' end is their morning). None for an unknown choice.
    """
    today = now.astimezone(zone).date()
    if choice == "tomorrow":
        day = today + timedelta(days=1)
    elif choice == "next_week":
        day = today + timedelta(days=7 - today.weekday())
    else:
        return None
    return datetime.combine(day, morning).replace(tzinfo=zone, fold=0).astimezone(now.tzinfo)


def held_by_snooze(snoozes: dict[str, datetime], kind: str, now: datetime) -> datetime | None:
    """Until when a nudge of `kind` waits because the person snoozed that kind, or None."""
    until = snoozes.get(kind)
    return until if until is not None and until > now else None


def is_muted(muted_kinds: list[str] | None, kind: str) -> bool:
    """Whether the person muted nudges of `kind` (only mutable kinds can be)."""
    return kind in MUTABLE_KINDS and kind in (muted_kinds or [])


def usable_snoozes(
    now: datetime, zone: ZoneInfo, morning: time, expires_at: datetime | None
) -> list[str]:
    """The snooze choices that end before the nudge stops mattering (`expires_at`): no "until
    next week" on a reminder for tomorrow's meeting, since that snooze would be refused."""
    ends = {choice: snooze_until(choice, now, zone, morning) for choice in SNOOZE_CHOICES}
    return [
        choice
        for choice, end in ends.items()
        if end is not None and (expires_at is None or end < expires_at)
    ]


def snooze_buttons(key: str, choices: list[str]) -> dict[str, Any]:
    """An actions block: snooze this nudge for each of `choices` (tomorrow, next week)."""
    return {
        "type": "actions",
        "block_id": "nudge.snooze",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": f"Snooze: {SNOOZE_CHOICES[choice].lower()}"},
                "action_id": SNOOZE_ACTION_PREFIX + choice,
                "value": key,
            }
            for choice in choices
        ],
    }


def _has_snooze(blocks: list[dict[str, Any]]) -> bool:
    return any(
        "snooze" in str(element.get("action_id", ""))
        for block in blocks
        for element in block.get("elements") or []
        if isinstance(element, dict)
    )


def with_snooze_buttons(
    kind: str, key: str, blocks: list[dict[str, Any]] | None, choices: list[str]
) -> list[dict[str, Any]] | None:
    """A nudge DM's blocks with a Snooze button for each usable choice (none when no snooze
    can work, the nudge has its own, or its blocks are full)."""
    if kind not in SNOOZABLE_KINDS or not blocks or len(blocks) >= MAX_BLOCKS or not choices:
        return blocks
    if _has_snooze(blocks):
        return blocks
    return [*blocks, snooze_buttons(key, choices)]

"""A person's own say over Tandem's nudges: the preferences modal and saving it.

Rules in bot/delivery/preference_rules.py; the sender applies them (bot/delivery/gate.py).
Muting a nudge the pair agreed in the charter (feedback prompts) is told to every partner,
so the agreement never changes behind one member's back.
"""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core import slack_time
from bot.core.context import Tandem
from bot.core.kit import checked_message, context, modal, section
from bot.core.kit import notice_modal as kit_notice_modal
from bot.core.membership import memberships
from bot.core.people import ensure_person, find_person, person_zone
from bot.core.reminder_choice import CHOICES as REMINDER_CHOICES
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.blocks import (
    CALLBACK,
    CLEAR,
    MUTED,
    QUIET_END,
    QUIET_START,
    REMINDERS,
    SNOOZE_FOR,
    SNOOZE_KIND,
)
from bot.delivery.policy_rules import QuietHours, quiet_hours
from bot.delivery.preference_rules import (
    AGREED_IN_CHARTER,
    MUTABLE_KINDS,
    SNOOZABLE_KINDS,
    SNOOZE_CHOICES,
    mute_rule,
    snooze_until,
)
from bot.delivery.service import enqueue
from storage.models import NudgeSnooze, Person, Preference, Workspace
from storage.queries.preferences import end_snoozes, preference_row, snoozes_of

TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
MUTED_KIND = "prefs.muted"
PAIR_REMINDERS = "pair"  # no choice of my own: the pair's reminder settings


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label[:75]), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], hint: str = "") -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": _plain(label),
        "element": {**element, "action_id": block_id},
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def workspace_quiet(session: Session, team_id: str) -> QuietHours:
    """The workspace's quiet hours (what applies when a person set none)."""
    workspace = session.get(Workspace, team_id)
    return quiet_hours(
        workspace.quiet_hours_start if workspace else None,
        workspace.quiet_hours_end if workspace else None,
    )


def preferences_modal(
    session: Session, person: Person, now: datetime, zone: ZoneInfo
) -> dict[str, Any]:
    """The modal, showing what the person chose so far."""
    pref = preference_row(session, person.id or 0)
    quiet = workspace_quiet(session, person.team_id)
    start = {"initial_time": pref.quiet_hours_start} if pref and pref.quiet_hours_start else {}
    end = {"initial_time": pref.quiet_hours_end} if pref and pref.quiet_hours_end else {}
    mutable = [_option(kind, label.capitalize()) for kind, label in MUTABLE_KINDS.items()]
    muted = [o for o in mutable if pref and o["value"] in (pref.muted_kinds or [])]
    checkboxes: dict[str, Any] = {"type": "checkboxes", "options": mutable}
    if muted:
        checkboxes["initial_options"] = muted
    choices = [_option(c, label) for c, label in SNOOZE_CHOICES.items()]
    reminders = [_option(PAIR_REMINDERS, "As our pair's reminder settings say")]
    reminders += [_option(c, label) for c, label in REMINDER_CHOICES.items()]
    mine = (pref.reminders if pref else None) or PAIR_REMINDERS
    blocks: list[dict[str, Any]] = [
        _input(
            REMINDERS,
            "My meeting reminders",
            {
                "type": "radio_buttons",
                "options": reminders,
                "initial_option": next(o for o in reminders if o["value"] == mine),
            },
            "Just for me: my partner keeps theirs. The day before comes with the agenda.",
        ),
        section("*My quiet hours* (in my own timezone; no messages from Tandem then)"),
        _input(QUIET_START, "From", {"type": "timepicker", **start}),
        _input(
            QUIET_END,
            "Until",
            {"type": "timepicker", **end},
            f"Leave both empty for the workspace's ({quiet.start:%H:%M}–{quiet.end:%H:%M}). "
            "The same time twice: no quiet hours.",
        ),
        _input(
            MUTED,
            "Mute for me",
            checkboxes,
            "Feedback prompts follow the rhythm in your charter: your partner is told.",
        ),
        _input(
            SNOOZE_KIND,
            "Snooze a kind of nudge",
            {
                "type": "static_select",
                "placeholder": _plain("Pick one"),
                "options": [_option(k, label.capitalize()) for k, label in SNOOZABLE_KINDS.items()],
            },
        ),
        _input(
            SNOOZE_FOR,
            "For how long",
            {"type": "radio_buttons", "options": choices, "initial_option": choices[0]},
        ),
    ]
    current = [s for s in snoozes_of(session, person.id or 0) if s.until > now]
    if current:
        lines = [
            f"• {SNOOZABLE_KINDS.get(s.kind, s.kind).capitalize()} until "
            f"{slack_time.when(s.until, zone)}"
            for s in current
        ]
        blocks.append(section("*Snoozed now*\n" + "\n".join(lines)))
        blocks.append(
            _input(
                CLEAR,
                "Wake them",
                {"type": "checkboxes", "options": [_option("yes", "End my snoozes now")]},
            )
        )
    blocks.append(
        context(
            "Meeting reminders: choose yours above, change the pair's in the reminder "
            "settings, or snooze them here for a while."
        )
    )
    return modal("My preferences", blocks, callback_id=CALLBACK, submit="Save", metadata={})


def _state(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get(block_id) or {}


def _picked_one(values: dict[str, Any], block_id: str) -> str | None:
    return (_state(values, block_id).get("selected_option") or {}).get("value")


def _picked_many(values: dict[str, Any], block_id: str) -> list[str]:
    return [str(o.get("value")) for o in _state(values, block_id).get("selected_options") or []]


def _tell_partners(session: Session, person: Person, kinds: list[str], now: datetime) -> None:
    """Muting what the charter agreed is said to both: each partner gets a DM."""
    name = person.real_name or person.display_name or "Your partner"
    what = ", ".join(MUTABLE_KINDS[k] for k in kinds)
    for membership in memberships(session, person.team_id, person.user_id):
        partner = membership.partner
        text = (
            f"{name} turned off {what} for themselves. Your charter's feedback rhythm is "
            "unchanged for you; talk it over if it no longer suits you both."
        )
        enqueue(
            session,
            team_id=person.team_id,
            key=f"{MUTED_KIND}:{membership.pair.id}:{person.id}:{'+'.join(kinds)}:{now:%Y%m%dT%H%M%S}",
            kind=MUTED_KIND,
            channel=partner.user_id,
            recipient_user_id=partner.user_id,
            text=text,
            blocks=checked_message([section(text)]),
            deliver_after=now,
            pair_id=membership.pair.id,
        )


def save_preferences(
    session: Session, person: Person, values: dict[str, Any], now: datetime, zone: ZoneInfo
) -> str | FieldErrors:
    """Save the modal: my reminders, quiet hours, muted kinds, a snooze; returns what the
    person is told."""
    start = _state(values, QUIET_START).get("selected_time") or None
    end = _state(values, QUIET_END).get("selected_time") or None
    errors: dict[str, str] = {}
    for block_id, value in ((QUIET_START, start), (QUIET_END, end)):
        if value is not None and not TIME.match(str(value)):
            errors[block_id] = "Please pick a time, like 22:00."
    if (start is None) != (end is None) and not errors:
        errors[QUIET_END if end is None else QUIET_START] = (
            "Set both ends of your quiet hours, or leave both empty for the workspace's."
        )
    muted = [k for k in _picked_many(values, MUTED) if mute_rule(k).allowed]
    snooze_kind = _picked_one(values, SNOOZE_KIND)
    if snooze_kind is not None and snooze_kind not in SNOOZABLE_KINDS:
        errors[SNOOZE_KIND] = "Please choose one of the options."
    reminders = _picked_one(values, REMINDERS) or PAIR_REMINDERS
    if reminders != PAIR_REMINDERS and reminders not in REMINDER_CHOICES:
        errors[REMINDERS] = "Please choose one of the options."
    snooze_for = _picked_one(values, SNOOZE_FOR) or "tomorrow"
    if snooze_for not in SNOOZE_CHOICES:
        errors[SNOOZE_FOR] = "Please choose one of the options."
    if errors:
        return FieldErrors(errors)
    pref = preference_row(session, person.id or 0) or Preference(
        person_id=person.id or 0, team_id=person.team_id
    )
    newly = [k for k in muted if k not in (pref.muted_kinds or []) and k in AGREED_IN_CHARTER]
    pref.quiet_hours_start, pref.quiet_hours_end = start, end
    pref.muted_kinds = sorted(muted)  # reassigned: JSON is not tracked in place
    pref.reminders = None if reminders == PAIR_REMINDERS else reminders
    pref.updated_at = now
    session.add(pref)
    said = ["Saved."]
    if "yes" in _picked_many(values, CLEAR):
        end_snoozes(session, person.id or 0)
        said.append("Your snoozes are over.")
    if snooze_kind is not None:
        morning = (workspace_quiet(session, person.team_id)).end
        until = snooze_until(snooze_for, now, zone, morning)
        assert until is not None
        row = session.get(NudgeSnooze, (person.id, snooze_kind)) or NudgeSnooze(
            person_id=person.id or 0, kind=snooze_kind, team_id=person.team_id, until=until
        )
        row.until, row.created_at = until, now
        session.add(row)
        said.append(
            f"No {SNOOZABLE_KINDS[snooze_kind]} until "
            f"{slack_time.when(until, zone)}; they wait, nothing is lost."
        )
    if newly:
        _tell_partners(session, person, newly, now)
        said.append("Your partner has been told you muted feedback prompts.")
    return " ".join(said)


def notice_modal(text: str) -> dict[str, Any]:
    """The preferences modal turned into a word about what happened."""
    return kit_notice_modal(text, "My preferences")


def open_preferences(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str
) -> Result:
    """`/tandem preferences` or the button: the modal (anyone may: quiet hours apply before
    any pair exists)."""
    now = ctx.clock.now()
    person = ensure_person(session, client, team_id, user_id, now)
    if isinstance(person, Refused):
        return person
    return Reply(modal=preferences_modal(session, person, now, person_zone(person, ctx.settings)))


def submit_preferences(
    ctx: Tandem, session: Session, team_id: str, user_id: str, values: dict[str, Any]
) -> Result:
    """The preferences modal saved: what was saved, in the modal, or field errors."""
    person = find_person(session, team_id, user_id)
    if person is None:
        return Refused("Open `/tandem preferences` again.")
    now, zone = ctx.clock.now(), person_zone(person, ctx.settings)
    said = save_preferences(session, person, values, now, zone)
    if isinstance(said, FieldErrors):
        return said
    return Reply(modal=notice_modal(said), queued=True)

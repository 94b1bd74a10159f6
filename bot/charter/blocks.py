"""Block Kit for the charter: the acknowledgement DM, the picker, history and one version."""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.charter.fields import CADENCES, PART_NAMES, describe, rhythm
from bot.charter.hours_rules import next_slot, outside_working_hours
from bot.charter.versions import History, VersionRecord
from bot.core.kit import (
    actions,
    button,
    checked_message,
    clip,
    context,
    modal,
    mrkdwn_escape,
    notice_modal,
    section,
)
from bot.core.membership import Membership
from bot.core.picker import pair_picker_block
from storage.models import CharterVersion, Person

Message = tuple[str, list[dict[str, Any]]]

# Buttons carry the version id as value; the action id gets a suffix where a view or message
# holds several (Slack wants action ids unique there), so listeners match these patterns.
ACK_ACTION = "charter.ack"
CHANGES_ACTION = "charter.request_changes"
VIEW_VERSION_ACTION = "charter.view_version"
ACK_PATTERN = re.compile(r"^charter\.ack(\.\d+)?$")
VIEW_VERSION_PATTERN = re.compile(r"^charter\.view_version(\.\d+)?$")
PICK_CALLBACK = "charter.pick"
# Opens the charter modal of the pair in the button's value (offered by pairing's welcome,
# by a change request and by Home).
OPEN_CHARTER_ACTION = "charter.open"


def _name(person: Person) -> str:
    return person.real_name or person.display_name or "your partner"


def _date(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local.day} {local:%b %Y}"


def _text(value: str, limit: int = 2900) -> str:
    return mrkdwn_escape(clip(value, limit))


def new_intro(partner: Person) -> str:
    """The line above a new charter form."""
    return (
        f"A new charter for you and {_name(partner)}. When you save, {_name(partner)} is asked "
        "to acknowledge it; either of you can revise it later."
    )


def chapter_intro(partner: Person) -> str:
    """The line above the charter form of a new chapter (prefilled with the last charter)."""
    return (
        f"A new chapter with {_name(partner)}: this is the charter of your last chapter. "
        f"Change what no longer fits and save; {_name(partner)} is then asked to acknowledge it."
    )


def editing_intro(current: CharterVersion, author: Person, partner: Person, zone: ZoneInfo) -> str:
    """The line above a prefilled charter form."""
    return (
        f"Version {current.version}, saved by {_name(author)} on {_date(current.created_at, zone)}."
        f" Saving makes version {current.version + 1} and asks {_name(partner)} to acknowledge it."
    )


def cadence_proposed_intro(cadence: str) -> str:
    """What the form says when it proposes the rhythm the pair lives (see cadence drift)."""
    return (
        f"The meeting cadence is set to *{CADENCES.get(cadence, cadence).lower()}*, the rhythm "
        "you have been living; change anything else you like before saving."
    )


def _change_lines(changes: list[tuple[str, Any]]) -> str:
    lines = [
        f"• *{PART_NAMES[name].capitalize()}:* {_text(str(describe(name, value)), 200)}"
        for name, value in changes
    ]
    return "\n".join(lines)


def _first_version_lines(version: CharterVersion) -> str:
    parts = [
        ("Mentor's objectives", version.mentor_objectives),
        ("Mentee's objectives", version.mentee_objectives),
        ("Mentor's constraints", version.mentor_constraints),
        ("Mentee's constraints", version.mentee_constraints),
        ("How we meet", rhythm(version)),
        ("Focus areas", describe("focus_areas", version.focus_areas)),
    ]
    parts = [(label, value) for label, value in parts if value]  # constraints are optional
    return "\n".join(f"• *{label}:* {_text(value, 300)}" for label, value in parts)


def ack_request(
    version: CharterVersion,
    author: Person,
    changes: list[tuple[str, Any]],
    zone: ZoneInfo,
    waiting: CharterVersion | None = None,
) -> Message:
    """The partner's DM: what changed (or, for a first version, its gist), and the buttons.
    `waiting` is the agreed version whose schedule stands until this one is acknowledged."""
    if version.version == 1:
        title = f"<@{author.user_id}> wrote your charter: version 1."
        summary = _first_version_lines(version)
    else:
        title = f"<@{author.user_id}> updated your charter: version {version.version}."
        summary = _change_lines(changes)
    blocks = [section(f"*{title}*\n{summary}")]
    if waiting is not None:
        blocks.append(
            section(
                f":hourglass: The new schedule ({_text(rhythm(version), 300)}) starts once you "
                "acknowledge. Until then you keep meeting as agreed: "
                f"{_text(rhythm(waiting), 300)}."
            )
        )
    blocks += [
        context(
            f"Saved {_date(version.created_at, zone)}. Acknowledging says you've read it and "
            "agree. Want something different? Ask for changes with a note, or edit it yourself "
            "with `/tandem charter`: your edit becomes the next version."
        ),
        _ack_buttons(version),
    ]
    return title, checked_message(blocks)


def _ack_buttons(version: CharterVersion) -> dict[str, Any]:
    return actions(
        button("Acknowledge", ACK_ACTION, str(version.id), style="primary"),
        button("Ask for changes", CHANGES_ACTION, str(version.id)),
        button("View the whole charter", VIEW_VERSION_ACTION, str(version.id)),
        block_id=f"charter.ack.{version.id}",
    )


def ack_reminder(version: CharterVersion, author: Person) -> Message:
    """The partner's one reminder of a version still waiting for their acknowledgement."""
    text = (
        f"A reminder: version {version.version} of your charter, from <@{author.user_id}>, "
        "is still waiting for your acknowledgement."
    )
    blocks = [
        section(text),
        context("Acknowledge it if it reads right to you, or ask for the changes you'd like."),
        _ack_buttons(version),
    ]
    return text, checked_message(blocks)


def charter_nudge(pair_id: int, nth: int) -> Message:
    """The pair's nudge to write their charter (`nth`: 1 on day 3, 2 on day 10)."""
    if nth == 1:
        text = (
            "You two haven't written your charter yet. It's the one step before your meetings: "
            "what each of you wants, how often you meet, how you like feedback. Either of you "
            "can start; the other acknowledges it."
        )
    else:
        text = (
            "Still no charter for the two of you. Until one of you writes it, I can't schedule "
            "your meetings or remind you of them, and your programme's admins see it as "
            "something to help with."
        )
    blocks = [
        section(text),
        actions(
            button("Write our charter", OPEN_CHARTER_ACTION, str(pair_id), style="primary"),
            block_id=f"charter.start.{pair_id}",
        ),
    ]
    return text, checked_message(blocks)


def acked_message(version: CharterVersion) -> Message:
    """The acknowledgement DM after the button was pressed."""
    text = f":white_check_mark: You acknowledged version {version.version} of your charter."
    blocks = [
        section(text),
        actions(
            button("View the whole charter", VIEW_VERSION_ACTION, str(version.id)),
            block_id=f"charter.acked.{version.id}",
        ),
    ]
    return text, checked_message(blocks)


def acked_notice(version: CharterVersion, acker: Person) -> str:
    """For the author: the partner acknowledged."""
    return (
        f"<@{acker.user_id}> acknowledged version {version.version} of your charter: "
        "you've both signed up to it. :handshake:"
    )


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError, OSError):  # an unknown zone is a KeyError, a region an OSError
        return None


def meeting_hours_note(version: CharterVersion, me: Person, partner: Person, now: datetime) -> str:
    """When the next agreed slot falls for the partner (in their zone), and a word when it is
    outside working hours for either of us (hours_rules)."""
    zone = _zone(version.timezone)
    slot = next_slot(version.weekday, version.meeting_time, zone, now) if zone else None
    if slot is None:
        return ""
    theirs = _zone(partner.tz)
    line = ""
    if theirs is not None and theirs.key != version.timezone:
        # The partner's wall time, naming their zone: what the author wants to know.
        line = f"For {_name(partner)} that is {slot.astimezone(theirs):%A %H:%M} ({theirs.key})."
    late = [
        who
        for who, their_zone in (("you", _zone(me.tz) or zone), (_name(partner), theirs or zone))
        if outside_working_hours(slot, their_zone)
    ]
    if late:
        line += (
            f" That's outside working hours for {' and '.join(late)} (before 8 in the morning "
            "or after 7 in the evening): you may want another time."
        )
    return line.strip()


def saved_modal(
    version: CharterVersion, me: Person, partner: Person, unchanged: bool, now: datetime
) -> dict[str, Any]:
    """What the form turns into after Save."""
    if unchanged:
        text = f"Nothing changed, so version {version.version} stays as it is."
    else:
        text = (
            f":white_check_mark: Saved as version {version.version}. I've asked "
            f"{_name(partner)} to acknowledge it. `/tandem charter history` shows every version."
        )
    note = meeting_hours_note(version, me, partner, now)
    text = " ".join(part for part in (text, note) if part)
    return notice_modal(text, title="Charter saved" if not unchanged else "Charter")


def picker_modal(choices: list[Membership], purpose: str) -> dict[str, Any]:
    """First step for people in several pairs: which pair's charter (to edit, or its history)."""
    blocks = [
        context(f"You're in {len(choices)} pairs. Which pair's charter?"),
        pair_picker_block(choices),
    ]
    metadata = {"next": purpose}
    return modal(
        "Your charter", blocks, callback_id=PICK_CALLBACK, submit="Next", metadata=metadata
    )


def _acks_line(record: VersionRecord, membership: Membership, zone: ZoneInfo) -> str:
    signed = ", ".join(f"{_name(p)} ({_date(at, zone)})" for p, at in record.acks)
    waiting = [p for p in (membership.me, membership.partner) if not record.acked_by(p)]
    line = f"Acknowledged by {signed}" if signed else "Not acknowledged yet"
    if waiting and record.is_current:
        line += " · waiting for " + " and ".join(_name(p) for p in waiting)
    return line


def history_modal(history: History, zone: ZoneInfo) -> dict[str, Any]:
    """Every version (the latest few), each with its author, date, changes and acknowledgements."""
    partner = history.membership.partner
    if not history.records:
        blocks = [section(f"You and {_name(partner)} haven't written a charter yet.")]
    else:
        blocks = [context(f"Your charter with {_name(partner)}: {history.total} version(s).")]
    for record in history.records:
        version = record.version
        current = " · current" if record.is_current else ""
        blocks.append(
            section(
                f"*Version {version.version}*{current}\n"
                f"By {_name(record.author)}, {_date(version.created_at, zone)}. "
                f"{_text(version.change_summary, 600)}\n"
                f"{_acks_line(record, history.membership, zone)}",
                block_id=f"charter.version.{version.id}",
                accessory=button(
                    "View", f"{VIEW_VERSION_ACTION}.{version.version}", str(version.id)
                ),
            )
        )
    if history.total > len(history.records):
        blocks.append(
            context(
                f"Showing the latest {len(history.records)} of {history.total} versions. "
                f"Open an older one with `/tandem charter history <number>`."
            )
        )
    return modal("Charter history", blocks, close="Close")


def version_modal(membership: Membership, record: VersionRecord, zone: ZoneInfo) -> dict[str, Any]:
    """One version, read-only; with an Acknowledge button if the viewer still owes one."""
    v = record.version
    mentor, mentee = (
        (membership.me, membership.partner)
        if membership.role == "mentor"
        else (membership.partner, membership.me)
    )
    status = "the current version" if record.is_current else f"replaced by v{record.latest}"
    parts = [
        (f"What {_name(mentor)} (mentor) wants", v.mentor_objectives),
        (f"What {_name(mentee)} (mentee) wants", v.mentee_objectives),
        (f"What success looks like for {_name(mentor)}", v.mentor_success),
        (f"What success looks like for {_name(mentee)}", v.mentee_success),
        (f"{_name(mentor)}'s constraints", v.mentor_constraints),
        (f"{_name(mentee)}'s constraints", v.mentee_constraints),
        ("Focus areas", "\n".join(f"• {area}" for area in v.focus_areas)),
        ("How we meet", rhythm(v)),
        ("Between meetings", v.async_channel),
        (
            "Feedback",
            f"{describe('feedback_candour', v.feedback_candour)}, "
            f"{describe('feedback_frequency_weeks', v.feedback_frequency_weeks)}, "
            f"{describe('feedback_medium', v.feedback_medium).lower()}",
        ),
        ("In scope", v.topics_in_scope),
        ("Out of scope", v.topics_out_of_scope),
        ("What stays between us", v.confidentiality),
        ("Milestones", describe("celebration_sharing", v.celebration_sharing)),
    ]
    blocks = [
        context(
            f"Version {v.version} ({status}) · by {_name(record.author)}, "
            f"{_date(v.created_at, zone)} · {_text(v.change_summary, 600)}"
        ),
        context(_acks_line(record, membership, zone)),
    ]
    blocks += [section(f"*{label}*\n{_text(value or '(not set)')}") for label, value in parts]
    if record.is_current and not record.acked_by(membership.me):
        blocks.append(
            actions(
                button("Acknowledge", ACK_ACTION, str(v.id), style="primary"),
                block_id=f"charter.ack.{v.id}",
            )
        )
    return modal(f"Charter v{v.version}", blocks, close="Close", metadata={"version_id": v.id})

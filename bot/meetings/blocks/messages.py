"""Meeting messages: the rhythm, reminders, "did you meet?", lapse notes, pause notices."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.kit import (
    actions,
    button,
    checked_message,
    clip,
    context,
    header,
    mrkdwn_escape,
    section,
)
from bot.core.slack_time import clock, plain_when, when
from bot.meetings.clock_change_rules import ClockChange, why
from bot.meetings.time_rules import offset_phrase

MET, MOVE, SKIP, NOTES = "meeting.met", "meeting.move", "meeting.skip", "meeting.notes"
SNOOZE, ICS, SETTINGS = "meeting.snooze", "meeting.ics", "meeting.settings"
SUBSCRIBE = "meeting.subscribe"
# The lapse nudge's buttons: what it suggests, for the pair it names.
LAPSE_MOVE, LAPSE_LOG = "meeting.lapse.move", "meeting.lapse.log"
# "Pause" wherever Tandem suggests a break (the lapse nudge, the review): the pause form.
PAUSE_OPEN = "meeting.pause.open"
ITEM_LIMIT = 15  # agenda items / milestones shown in one reminder


def _safe(text: str, limit: int = 500) -> str:
    return mrkdwn_escape(clip(text, limit))


def _message(text: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": clip(text, 3000), "blocks": checked_message(blocks)}


def series_message(
    pair_id: int,
    rhythm: str,
    first: datetime | None,
    subscribe: bool = False,
    zone: ZoneInfo | None = None,
) -> dict[str, Any]:
    """The group-DM note that says which rhythm Tandem keeps for the pair (with "Subscribe"
    when calendar feeds are set up). Times in group-DM messages fall back to `zone`, the
    series' (named), where Slack does not render them for the reader."""
    first_line = f"\nFirst one: {when(first, zone)}." if first else ""
    blocks = [
        section(f":calendar: *Your meetings:* {rhythm}.{first_line}"),
        context(
            "I'll remind you both before each meeting, in your own timezones, and ask afterwards "
            "how it went. Add topics any time with `/tandem agenda <item>`."
        ),
        actions(
            *([button("Subscribe in your calendar", SUBSCRIBE, str(pair_id))] if subscribe else []),
            button("Add to calendar (.ics)", ICS, str(pair_id)),
            button("Reminder settings", SETTINGS, str(pair_id)),
            block_id="meeting.series",
        ),
    ]
    return _message(f"Your meetings: {rhythm}.", blocks)


@dataclass
class ReminderFacts:
    """Everything one member's reminder says (its fallbacks in their own timezone)."""

    pair_id: int
    meeting_id: int
    key: str
    partner: str
    starts_at: datetime
    my_zone: ZoneInfo
    when_partner: str | None  # the partner's wall time naming their zone, when it differs
    offsets: list[int]
    agenda: list[tuple[str, str]] = field(default_factory=list)  # (who added it, item)
    overdue: list[tuple[str, str, date]] = field(default_factory=list)  # (goal, milestone, due)
    topic: str | None = None
    last_actions: str = ""
    snoozable: bool = False
    clock_change: ClockChange | None = None  # this meeting moved on my clock since the last one


def clock_change_line(change: ClockChange) -> str:
    """ "Berlin changed its clocks on 29 March, so on your clock this meeting is now at 16:00,
    not 17:00." (each time Slack's token, read on the member's clock; the first fallback
    names their zone)."""
    now_at = clock(change.after, change.zone)
    was = clock(change.before, change.zone, name_zone=False)
    return f":clock3: {why(change)}, so on your clock this meeting is now at {now_at}, not {was}."


def reminder_message(facts: ReminderFacts) -> dict[str, Any]:
    """A member's DM before a meeting: when, agenda so far, overdue milestones, a topic."""
    partner = _safe(facts.partner, 80)
    zone = facts.my_zone
    when_mine = when(facts.starts_at, zone)
    line = f"*When:* {when_mine} (your time)"
    if facts.when_partner:
        line += f"; that's {facts.when_partner} for {partner}"
    if facts.agenda:
        shown = facts.agenda[:ITEM_LIMIT]
        agenda = "*Agenda so far:*\n" + "\n".join(
            f"• {_safe(item, 180)} _({_safe(who, 60)})_" for who, item in shown
        )
        if len(facts.agenda) > len(shown):
            agenda += f"\n…and {len(facts.agenda) - len(shown)} more."
    else:
        agenda = "*Agenda so far:* nothing yet. Add to it with `/tandem agenda <item>`."
    blocks = [
        # The time, not "in 1 day": a reminder held for the night or snoozed arrives later.
        # A header is plain text (no date token): the time on the member's own clock.
        header(f"Mentoring with {clip(facts.partner, 60)}, {plain_when(facts.starts_at, zone)}"),
    ]
    if facts.clock_change is not None:  # the news first: this one is at a new time for me
        blocks.append(section(clock_change_line(facts.clock_change)))
    blocks += [section(line), section(agenda)]
    if facts.overdue:
        blocks.append(
            section(
                "*Overdue milestones:*\n"
                + "\n".join(
                    f"• {_safe(goal, 80)}: {_safe(step, 120)} (due {due:%-d %B})"
                    for goal, step, due in facts.overdue[:ITEM_LIMIT]
                )
            )
        )
    if facts.topic:
        blocks.append(
            section(
                f"*Suggested topic:* {_safe(facts.topic, 200)}, the focus area you've "
                "discussed least recently."
            )
        )
    if facts.last_actions.strip():
        blocks.append(section(f"*Last time you agreed:*\n{_safe(facts.last_actions, 1500)}"))
    buttons = [
        button("Reschedule", MOVE, str(facts.meeting_id)),
        button("Skip this one", SKIP, str(facts.meeting_id)),
        button("Reminder settings", SETTINGS, str(facts.pair_id)),
    ]
    if facts.snoozable:
        buttons.append(button("Snooze 1 day", SNOOZE, facts.key))
    blocks.append(actions(*buttons, block_id="meeting.reminder"))
    blocks.append(
        context(
            "Reminders go out "
            + ", ".join(offset_phrase(o) for o in facts.offsets)
            + " before each meeting."
        )
    )
    text = f"Reminder: mentoring with {facts.partner}, {when_mine}."
    if facts.clock_change is not None:
        text += " The clocks changed: it's at a new time for you."
    return _message(text, blocks)


def clock_notice_message(
    partner: str, starts_at: datetime, change: ClockChange, my_zone: ZoneInfo
) -> dict[str, Any]:
    """The short DM for a member who chose no reminders: a clock change moved their meeting."""
    line = (
        f"*Mentoring with {_safe(partner, 80)}, {when(starts_at, my_zone)}:* "
        + clock_change_line(change).removeprefix(":clock3: ")
    )
    blocks = [
        section(f":clock3: {line}"),
        context("You chose no meeting reminders; I tell you this because the time moved for you."),
    ]
    return _message(f"Your mentoring meeting is at a new time for you: {line}", blocks)


def followup_message(
    meeting_id: int, starts_at: datetime, again: bool, zone: ZoneInfo | None = None
) -> dict[str, Any]:
    """ "Did you meet?" in the pair's group DM, after the meeting's end: asked once for the
    pair (either member answers for both), and `again` once a day later if nobody did.

    No "Ask me tomorrow": the one re-ask is that, and a snoozed copy would be a third ask.
    """
    buttons = [
        button("Met", MET, str(meeting_id), style="primary"),
        button("Rescheduled", MOVE, str(meeting_id)),
        button("Skipped", SKIP, str(meeting_id)),
    ]
    at = when(starts_at, zone)
    if again:
        line = f":wave: *Did you meet?* Asking once more about your mentoring session {at}."
        later = "I won't ask again about this one."
    else:
        line = f":wave: *Did you meet?* Your mentoring session was {at}."
        later = "If neither of you has answered by tomorrow, I'll ask once more."
    blocks = [
        section(line),
        actions(*buttons, block_id="meeting.followup"),
        context(
            "Either of you can answer for you both. "
            f"“Met” lets you keep a few notes; only you two can see them. {later}"
        ),
    ]
    return _message("Did you meet? Tell me how your mentoring session went.", blocks)


def outcome_blocks(meeting_id: int, line: str, with_notes: bool) -> dict[str, Any]:
    """What a clicked "did you meet?" or reminder message becomes (chat.update)."""
    blocks = [section(line)]
    if with_notes:
        blocks.append(actions(button("Notes", NOTES, str(meeting_id)), block_id="meeting.outcome"))
    return _message(line, blocks)


def met_line(starts_at: datetime, by: str, zone: ZoneInfo | None = None) -> str:
    """The line a "did you meet?" message shows once the pair met."""
    return f":white_check_mark: *Met* ({when(starts_at, zone)}), marked by {_safe(by, 80)}."


def skipped_line(
    starts_at: datetime, by: str, next_at: datetime | None, zone: ZoneInfo | None = None
) -> str:
    """The line shown once a meeting is skipped, with the next one."""
    nxt = f" Next meeting: {when(next_at, zone)}." if next_at else ""
    at = when(starts_at, zone)
    return f":fast_forward: *Skipped* ({at}), marked by {_safe(by, 80)}.{nxt}"


def moved_line(starts_at: datetime, by: str, zone: ZoneInfo | None = None) -> str:
    """The line shown once a meeting has a new time."""
    return f":calendar: *Moved* to {when(starts_at, zone)} by {_safe(by, 80)}."


def logged_line(by: str, starts_at: datetime, zone: ZoneInfo | None = None) -> str:
    """Said in the group DM when a member logs a meeting (the notes stay in the modal)."""
    return (
        f":memo: {_safe(by, 80)} logged your meeting of {when(starts_at, zone)}. "
        "Notes are kept for you two."
    )


def notice(line: str) -> dict[str, Any]:
    """A one-line message to the pair (moved, skipped, paused, resumed)."""
    return _message(line, [section(line)])


def pause_button(pair_id: int) -> dict[str, Any]:
    """ "Pause": opens the form that pauses the pair until a date (the `/tandem pause` rule)."""
    return button("Pause", PAUSE_OPEN, str(pair_id))


def lapse_message(
    pair_id: int, since: datetime, mentor: str, mentee: str, zone: ZoneInfo | None = None
) -> dict[str, Any]:
    """A gentle nudge to a pair that has not logged a meeting for a while."""
    line = (
        f":seedling: Hi {_safe(mentor, 80)} and {_safe(mentee, 80)}, I haven't seen a meeting "
        f"logged since {when(since, zone)}. Busy stretch? Pick a time that works, tell me "
        "about one you had, or take a break until a date you choose."
    )
    buttons = actions(
        button("Reschedule", LAPSE_MOVE, str(pair_id), style="primary"),
        button("Log a meeting", LAPSE_LOG, str(pair_id)),
        pause_button(pair_id),
    )
    return _message(line, [section(line), buttons, context("Only you two see this message.")])


_TIMES = {4: "four", 8: "eight", 16: "sixteen"}


def lapse_admin_message(
    mentor: str, mentee: str, since: datetime, times: int, zone: ZoneInfo | None = None
) -> dict[str, Any]:
    """The note to one programme admin: only that the pair lapsed (for `times` its cadence),
    nothing they wrote. `zone` is the admin's own: where Slack shows the fallback (the
    notification), the date reads on their clock."""
    how_long = _TIMES.get(times, str(times))
    line = (
        f"The mentoring pair {_safe(mentor, 80)} (mentor) and {_safe(mentee, 80)} (mentee) "
        f"hasn't logged a meeting since {when(since, zone)}, {how_long} times their usual "
        "cadence. "
        "A friendly check-in may help."
    )
    return _message(line, [section(line)])


def paused_line(by: str, until: date) -> str:
    """Said in the group DM when someone pauses the pair."""
    return (
        f":double_vertical_bar: {_safe(by, 80)} paused your mentorship until {until:%A %-d %B %Y}. "
        "No nudges until then; `/tandem resume` brings them back sooner."
    )


def resumed_line(next_at: datetime | None, zone: ZoneInfo | None = None) -> str:
    """Said in the group DM when nudges come back."""
    nxt = f" Next meeting: {when(next_at, zone)}." if next_at else ""
    return f":arrow_forward: Welcome back! Nudges are on again.{nxt}"

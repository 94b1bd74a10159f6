"""Meeting messages: the rhythm, reminders, "did you meet?", lapse notes, pause notices."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

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
from bot.meetings.time_rules import offset_phrase, slack_date

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
    pair_id: int, rhythm: str, first: datetime | None, subscribe: bool = False
) -> dict[str, Any]:
    """The group-DM note that says which rhythm Tandem keeps for the pair (with "Subscribe"
    when calendar feeds are set up)."""
    first_line = f"\nFirst one: {slack_date(first)}." if first else ""
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
    """Everything one member's reminder says (already in their own timezone)."""

    pair_id: int
    meeting_id: int
    key: str
    partner: str
    starts_at: datetime
    when_mine: str  # "Monday 9 March at 10:00"
    my_zone: str
    when_partner: str | None  # the partner's wall time, when their zone differs
    offsets: list[int]
    agenda: list[tuple[str, str]] = field(default_factory=list)  # (who added it, item)
    overdue: list[tuple[str, str, date]] = field(default_factory=list)  # (goal, milestone, due)
    topic: str | None = None
    last_actions: str = ""
    snoozable: bool = False


def reminder_message(facts: ReminderFacts) -> dict[str, Any]:
    """A member's DM before a meeting: when, agenda so far, overdue milestones, a topic."""
    partner = _safe(facts.partner, 80)
    when = f"*When:* {facts.when_mine} (your time, {facts.my_zone})"
    if facts.when_partner:
        when += f"; that's {facts.when_partner} for {partner}"
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
        header(f"Mentoring with {clip(facts.partner, 60)}, {facts.when_mine}"),
        section(when),
        section(agenda),
    ]
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
    text = f"Reminder: mentoring with {facts.partner} on {facts.when_mine} (your time)."
    return _message(text, blocks)


def followup_message(meeting_id: int, starts_at: datetime, again: bool) -> dict[str, Any]:
    """ "Did you meet?" in the pair's group DM, after the meeting's end: asked once for the
    pair (either member answers for both), and `again` once a day later if nobody did.

    No "Ask me tomorrow": the one re-ask is that, and a snoozed copy would be a third ask.
    """
    buttons = [
        button("Met", MET, str(meeting_id), style="primary"),
        button("Rescheduled", MOVE, str(meeting_id)),
        button("Skipped", SKIP, str(meeting_id)),
    ]
    when = slack_date(starts_at)
    if again:
        line = f":wave: *Did you meet?* Asking once more about your mentoring session {when}."
        later = "I won't ask again about this one."
    else:
        line = f":wave: *Did you meet?* Your mentoring session was {when}."
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


def met_line(starts_at: datetime, by: str) -> str:
    """The line a "did you meet?" message shows once the pair met."""
    return f":white_check_mark: *Met* ({slack_date(starts_at)}), marked by {_safe(by, 80)}."


def skipped_line(starts_at: datetime, by: str, next_at: datetime | None) -> str:
    """The line shown once a meeting is skipped, with the next one."""
    nxt = f" Next meeting: {slack_date(next_at)}." if next_at else ""
    return f":fast_forward: *Skipped* ({slack_date(starts_at)}), marked by {_safe(by, 80)}.{nxt}"


def moved_line(starts_at: datetime, by: str) -> str:
    """The line shown once a meeting has a new time."""
    return f":calendar: *Moved* to {slack_date(starts_at)} by {_safe(by, 80)}."


def logged_line(by: str, starts_at: datetime) -> str:
    """Said in the group DM when a member logs a meeting (the notes stay in the modal)."""
    return (
        f":memo: {_safe(by, 80)} logged your meeting of {slack_date(starts_at)}. "
        "Notes are kept for you two."
    )


def notice(line: str) -> dict[str, Any]:
    """A one-line message to the pair (moved, skipped, paused, resumed)."""
    return _message(line, [section(line)])


def pause_button(pair_id: int) -> dict[str, Any]:
    """ "Pause": opens the form that pauses the pair until a date (the `/tandem pause` rule)."""
    return button("Pause", PAUSE_OPEN, str(pair_id))


def lapse_message(pair_id: int, since: datetime, mentor: str, mentee: str) -> dict[str, Any]:
    """A gentle nudge to a pair that has not logged a meeting for a while."""
    line = (
        f":seedling: Hi {_safe(mentor, 80)} and {_safe(mentee, 80)}, I haven't seen a meeting "
        f"logged since {slack_date(since)}. Busy stretch? Pick a time that works, tell me "
        "about one you had, or take a break until a date you choose."
    )
    buttons = actions(
        button("Reschedule", LAPSE_MOVE, str(pair_id), style="primary"),
        button("Log a meeting", LAPSE_LOG, str(pair_id)),
        pause_button(pair_id),
    )
    return _message(line, [section(line), buttons, context("Only you two see this message.")])


_TIMES = {4: "four", 8: "eight", 16: "sixteen"}


def lapse_admin_message(mentor: str, mentee: str, since: datetime, times: int) -> dict[str, Any]:
    """The note to programme admins: only that the pair lapsed (for `times` its cadence),
    nothing they wrote."""
    how_long = _TIMES.get(times, str(times))
    line = (
        f"The mentoring pair {_safe(mentor, 80)} (mentor) and {_safe(mentee, 80)} (mentee) "
        f"hasn't logged a meeting since {slack_date(since)}, {how_long} times their usual "
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


def resumed_line(next_at: datetime | None) -> str:
    """Said in the group DM when nudges come back."""
    nxt = f" Next meeting: {slack_date(next_at)}." if next_at else ""
    return f":arrow_forward: Welcome back! Nudges are on again.{nxt}"

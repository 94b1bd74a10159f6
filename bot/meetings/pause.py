"""Pausing a pair stops every nudge until a date; resuming (by hand or on that date) restarts.

A pause is the pair's, whoever asks: both members stop getting nudges. Nudges already
queued for the pair and not yet sent (in any area, see bot/delivery/kind_rules.py) are cancelled,
so none queued before the pause arrives during it; what one member did for the other (a share,
feedback...) is still delivered. Meetings that fell in the pause are cancelled on resume, and
the lapse clock restarts then: a break the pair agreed is not a lapse.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.core.results import Refused
from bot.delivery.service import cancel_nudges
from bot.meetings import keys, lapse, schedule
from bot.meetings.blocks.messages import paused_line, resumed_line
from bot.meetings.members import name_of, tell_members
from bot.meetings.recurrence_rules import to_instant
from storage.models import MeetingStatus, Pair, PairStatus
from storage.queries.calendar import end_pause, record_pause
from storage.queries.meetings import (
    active_series,
    pairs_due_to_resume,
    scheduled_before,
    upcoming_meetings,
)

LONGEST_PAUSE = timedelta(days=366)


def pause(
    session: Session,
    membership: Membership,
    until: date,
    zone: ZoneInfo,
    now: datetime,
    by: str | None = None,
) -> Pair | Refused:
    """Pause `membership`'s pair until the start of `until` in the asker's timezone.

    The pair is told who paused it: the member asking, or `by` (e.g. "Your programme admin").
    """
    pair = membership.pair
    if pair.status not in (PairStatus.ACTIVE, PairStatus.PAUSED):
        return Refused("That mentorship has ended, so there is nothing to pause.")
    today = now.astimezone(zone).date()
    if until <= today:
        return Refused(
            f"{until:%-d %B %Y} isn't in the future (it's {today:%-d %B %Y} where you are). "
            "Pick a later date."
        )
    resume_at = to_instant(datetime.combine(until, time(0, 0)), zone)
    if resume_at - now > LONGEST_PAUSE:
        return Refused("A pause can last up to a year. Pick an earlier date.")
    pair.status, pair.paused_until, pair.updated_at = PairStatus.PAUSED, resume_at, now
    session.add(pair)
    record_pause(session, pair, now, resume_at)  # calendar feeds leave those meetings out
    cancel_nudges(session, pair.id)
    who = by or name_of(membership.me)
    key = keys.pause_key(pair.id, keys.PAUSED, now)
    tell_members(session, pair, key, keys.PAUSED, paused_line(who, until), now)
    return pair


def resume(session: Session, pair: Pair, now: datetime) -> Pair | Refused:
    """Turn nudges back on for a paused pair."""
    if pair.status != PairStatus.PAUSED:
        return Refused("Your mentorship isn't paused, so nudges are already on.")
    pair.status, pair.paused_until, pair.updated_at = PairStatus.ACTIVE, None, now
    session.add(pair)
    end_pause(session, pair.id or 0, now)
    for meeting in scheduled_before(session, pair.id, now):
        schedule.close(session, meeting, MeetingStatus.CANCELLED)
    session.flush()
    for meeting in upcoming_meetings(session, pair.id, now):
        # Let the scheduler send the reminder that is due now, if the meeting is close.
        meeting.next_nudge_at = now
        session.add(meeting)
    upcoming = schedule.refresh(session, pair, now)
    series = active_series(session, pair.id)
    if series is not None:
        lapse.start_clock(series, now)
        session.add(series)
    line = resumed_line(upcoming.starts_at if upcoming else None, schedule.zone_of(series))
    tell_members(session, pair, keys.pause_key(pair.id, keys.RESUMED, now), keys.RESUMED, line, now)
    return pair


def produce_resumes(ctx: Tandem, session: Session, now: datetime) -> int:
    """Resume pairs whose pause has run out (each once: resuming changes the status)."""
    resumed = 0
    for pair in pairs_due_to_resume(session, now):
        if not isinstance(resume(session, pair, now), Refused):
            resumed += 1
    return resumed

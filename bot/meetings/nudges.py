"""Scheduled meeting work: keep each pair's next meeting known, remind before, ask after.

Lateness, per kind: a reminder is only worth sending before the meeting starts (and only the
latest one that is due: after downtime, the 1-hour reminder replaces the missed 1-day one);
"did you meet?" is still welcome for FOLLOWUP_LATENESS after the meeting. It is asked once in
the group DM and, when nobody answered, once more REASK_AFTER later; then never again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.kit import checked_message
from bot.core.people import person_zone
from bot.core.reminder_choice import DAY_BEFORE, offsets_for
from bot.delivery.service import dm_member, post_to_pair
from bot.meetings import keys, schedule
from bot.meetings.blocks.messages import (
    ReminderFacts,
    clock_notice_message,
    followup_message,
    reminder_message,
)
from bot.meetings.clock_change_rules import ClockChange, clock_change, last_known
from bot.meetings.members import name_of
from bot.meetings.questions import with_question
from bot.meetings.series import sync_series_from_charter
from bot.meetings.time_rules import first_meeting_at, local_when
from bot.meetings.topic_rules import suggest_topic
from storage.models import (
    AgendaItem,
    CharterVersion,
    Goal,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Milestone,
    Pair,
    Person,
)
from storage.queries.agenda import open_agenda_of, overdue_milestones_of
from storage.queries.charter import current_charters
from storage.queries.clock_notices import last_kept_occurrences, skipped_and_told
from storage.queries.meetings import (
    active_series,
    meetings_began_between,
    meetings_with_due_nudges,
    met_meetings_of,
    pairs_by_id,
    series_of_pairs,
)
from storage.queries.pairs import pairs_due, people_by_id
from storage.queries.preferences import preferences_of

SNOOZE = timedelta(days=1)
SCHEDULE_BATCH = 200
NUDGE_BATCH = 200
# How far back a re-ask looks for the pair's previous meeting (beyond a monthly cadence).
QUIET_LOOK_BACK = timedelta(days=100)


def produce_meeting_schedule(ctx: Tandem, session: Session, now: datetime) -> int:
    """Give every active pair its series (charters written before meetings existed) and its
    next meeting once the previous one has begun. Queues only rhythm announcements.

    Reads only pairs whose `next_schedule_at` has come (the start of their next meeting, or
    "now" for a pair just tracked), a bounded batch at a time.
    """
    announced = 0
    while batch := pairs_due(session, Pair.next_schedule_at, now, SCHEDULE_BATCH):
        charters = current_charters(session, [pair.id for pair in batch])
        for pair in batch:
            if active_series(session, pair.id) is not None:
                schedule.refresh(session, pair, now)
                continue
            charter = charters.get(pair.id)
            if charter is not None and sync_series_from_charter(ctx, session, pair, charter, now):
                announced += 1
            else:
                # No rhythm to keep: a charter saved later makes the series (and the date).
                pair.next_schedule_at = None
                session.add(pair)
        session.flush()
    return announced


def _partner_time(starts_at: datetime, mine: ZoneInfo, theirs: ZoneInfo) -> str | None:
    """The partner's wall time, when it differs: "05:00 (America/New_York)", with the day
    too when it is another date for them."""
    if theirs.key == mine.key:
        return None
    local, my_local = starts_at.astimezone(theirs), starts_at.astimezone(mine)
    shown = f"{local:%H:%M}" if local.date() == my_local.date() else local_when(starts_at, theirs)
    return f"{shown} ({theirs.key})"


@dataclass
class _Batch:
    """What the reminders of a batch of due meetings show, loaded together (a statement per
    kind of row, never per pair); `people` also keeps the members in the session."""

    pairs: dict[int, Pair]
    people: dict[int, Person]
    charters: dict[int, CharterVersion]
    held: dict[int, list[Meeting]]
    agenda: dict[int, list[AgendaItem]]
    overdue: dict[int, list[tuple[Goal, Milestone]]]
    reminders: dict[int, str | None]  # person id → their own reminder choice, when they made one
    held_back: dict[int, set[str]]  # person id → kinds of nudge they muted or snoozed for now
    series: dict[int, MeetingSeries]  # pair id → its running series
    # What each member last knew of the time (series id → ...): for clock-change notices.
    kept: dict[int, datetime]  # the latest occurrence held or still expected
    skipped: dict[int, list[tuple[datetime, set[str]]]]  # skipped ones, and who was reminded

    @classmethod
    def load(cls, session: Session, meetings: list[Meeting], now: datetime) -> "_Batch":
        pairs = pairs_by_id(session, {m.pair_id for m in meetings})
        ids = list(pairs)
        people = people_by_id(
            session, {i for p in pairs.values() for i in (p.mentor_id, p.mentee_id)}
        )
        # The latest calendar day anyone may be on: each reader's own day narrows it.
        latest_day = (now + timedelta(days=1)).date()
        own = preferences_of(session, list(people))
        series = series_of_pairs(session, ids)
        series_ids = [s.id for s in series.values() if s.id is not None]
        return cls(
            pairs,
            people,
            current_charters(session, ids),
            met_meetings_of(session, ids),
            open_agenda_of(session, ids),
            overdue_milestones_of(session, ids, latest_day),
            {person_id: prefs.reminders for person_id, prefs in own.items()},
            {
                person_id: {*prefs.muted_kinds, *(k for k, t in prefs.snoozes.items() if t > now)}
                for person_id, prefs in own.items()
            },
            series,
            last_kept_occurrences(session, ids, series_ids, now),
            skipped_and_told(session, ids, series_ids, now),
        )

    def clock_change(self, meeting: Meeting, me: Person, zone: ZoneInfo) -> ClockChange | None:
        """How a clock change moved `meeting` on `zone`'s clock since the occurrence `me` last
        knew of (a skipped, cancelled or paused one in between told them nothing); None for a
        meeting moved by hand (its time is the pair's choice)."""
        series = self.series.get(meeting.pair_id)
        if (
            series is None
            or meeting.series_id != series.id
            or meeting.occurrence_at is None
            or meeting.starts_at != meeting.occurrence_at
        ):
            return None
        rhythm = schedule.rhythm_of(series)
        before = last_known(
            self.kept.get(series.id or 0),
            self.skipped.get(series.id or 0, []),
            me.user_id,
            first_meeting_at(rhythm),
            meeting.starts_at,
        )
        if before is None:
            return None
        return clock_change(rhythm, meeting.starts_at, zone, before)


def _reminder(
    ctx: Tandem,
    batch: _Batch,
    pair: Pair,
    meeting: Meeting,
    me: Person,
    partner: Person,
    offset: int,
    offsets: list[int],
    now: datetime,
) -> dict:
    my_zone, partner_zone = person_zone(me, ctx.settings), person_zone(partner, ctx.settings)
    charter = batch.charters.get(pair.id)
    held = batch.held.get(pair.id, [])
    today = now.astimezone(my_zone).date()
    authors: dict[int, str] = {me.id: "you", partner.id: name_of(partner)}
    key = keys.reminder_key(meeting, offset, me.user_id)
    facts = ReminderFacts(
        pair_id=pair.id,
        meeting_id=meeting.id,
        key=key,
        partner=name_of(partner),
        starts_at=meeting.starts_at,
        my_zone=my_zone,
        when_partner=_partner_time(meeting.starts_at, my_zone, partner_zone),
        offsets=offsets,
        agenda=[
            (authors.get(item.author_id, "someone"), item.text)
            for item in batch.agenda.get(pair.id, [])
        ],
        overdue=[
            (goal.title, milestone.title, milestone.due_date)
            for goal, milestone in batch.overdue.get(pair.id, [])
            if milestone.due_date is not None and milestone.due_date < today
        ],
        topic=suggest_topic(
            charter.focus_areas if charter else [], [(m.starts_at, m.focus_areas) for m in held]
        ),
        last_actions=held[0].next_actions if held else "",
        snoozable=meeting.starts_at - now > SNOOZE,
        clock_change=batch.clock_change(meeting, me, my_zone),
    )
    message = reminder_message(facts)
    if me.id == pair.mentor_id:  # only the mentor's reminder carries an open question
        message = with_question(message, pair, charter, facts.partner)
        message = _with_extras(
            ctx, message, pair, partner, now, batch.held_back.get(me.id or 0, set())
        )
    return {"key": key, **message}


def _with_extras(
    ctx: Tandem, message: dict, pair: Pair, mentee: Person, now: datetime, held_back: set[str]
) -> dict:
    """The mentor's reminder with what other areas add at its end (e.g. the quarter's
    invitation to share a story): riding along, so it costs the mentor no message."""
    extra = [
        b for hook in ctx.parts.mentor_reminder_extras for b in hook(pair, mentee, now, held_back)
    ]
    if not extra:
        return message
    return {**message, "blocks": checked_message([*message["blocks"], *extra])}


def _queue_reminders(
    ctx: Tandem, session: Session, batch: _Batch, pair: Pair, meeting: Meeting, now: datetime
) -> int:
    """Each member's reminder that has come due: the ones they chose, else the pair's (and,
    for a member who chose none, the day before, a word when a clock change moved it)."""
    if now >= meeting.starts_at:
        return 0
    queued = 0
    mentor, mentee = batch.people[pair.mentor_id], batch.people[pair.mentee_id]
    for me, partner in ((mentor, mentee), (mentee, mentor)):
        mine = offsets_for(batch.reminders.get(me.id or 0), list(pair.reminder_offsets))
        if not mine:
            queued += _queue_clock_notice(ctx, session, batch, pair, meeting, me, partner, now)
            continue
        due = [o for o in mine if meeting.starts_at - timedelta(minutes=o) <= now]
        if not due:
            continue
        offset = min(due)  # the latest reminder due; earlier ones missed meanwhile are moot
        message = _reminder(ctx, batch, pair, meeting, me, partner, offset, mine, now)
        queued += dm_member(
            session,
            me.user_id,
            kind=keys.REMINDER,
            pair=pair,
            deliver_after=now,
            expires_at=meeting.starts_at,
            **message,
        )
    return queued


def _queue_clock_notice(
    ctx: Tandem,
    session: Session,
    batch: _Batch,
    pair: Pair,
    meeting: Meeting,
    me: Person,
    partner: Person,
    now: datetime,
) -> int:
    """A short DM, when the day-before reminder would be due, to a member who chose none:
    the clock change that moved this meeting is told to everyone it moved for."""
    if meeting.starts_at - timedelta(minutes=DAY_BEFORE) > now:
        return 0
    zone = person_zone(me, ctx.settings)
    change = batch.clock_change(meeting, me, zone)
    if change is None:
        return 0
    message = clock_notice_message(name_of(partner), meeting.starts_at, change, zone)
    return dm_member(
        session,
        me.user_id,
        key=keys.clock_notice_key(meeting, me.user_id),
        kind=keys.REMINDER,  # time-critical: worthless once the meeting has begun
        pair=pair,
        deliver_after=now,
        expires_at=meeting.starts_at,
        **message,
    )


def _queue_followup(
    session: Session, batch: _Batch, pair: Pair, meeting: Meeting, quiet: set[int], now: datetime
) -> int:
    """ "Did you meet?" once in the group DM, and once more a day later when nobody answered
    (not for a meeting in `quiet`: the pair left the one before unanswered too, and the
    lapse nudges speak to a pair that went quiet; asking twice a week would be noise)."""
    ends = schedule.followup_at(meeting)
    if now < ends or meeting.status != MeetingStatus.SCHEDULED:
        return 0
    again = now >= schedule.reask_at(meeting) and meeting.id not in quiet
    # Past the re-ask time without one, the first question is queued (a no-op once it was):
    # after downtime, the question is still asked once.
    key = keys.followup_again_key(meeting) if again else keys.followup_key(meeting)
    zone = schedule.zone_of(batch.series.get(pair.id))  # the group DM's: the series' zone
    message = followup_message(meeting.id, meeting.starts_at, again, zone)
    return post_to_pair(
        session,
        pair,
        key=key,
        kind=keys.FOLLOWUP,
        deliver_after=now,
        expires_at=ends + schedule.FOLLOWUP_LATENESS,
        **message,
    )


def _gone_quiet(session: Session, meetings: list[Meeting], now: datetime) -> set[int]:
    """The meetings due a re-ask whose pair's previous meeting is still unanswered. One
    statement for the batch, whatever is due in it (the tick's cost follows batches)."""
    earlier = meetings_began_between(
        session, list({m.pair_id for m in meetings}), now - QUIET_LOOK_BACK, now
    )
    quiet: set[int] = set()
    for meeting in meetings:
        if meeting.status != MeetingStatus.SCHEDULED or now < schedule.reask_at(meeting):
            continue
        before = [m for m in earlier.get(meeting.pair_id, []) if m.starts_at < meeting.starts_at]
        previous = max(before, key=lambda m: m.starts_at, default=None)
        if previous is not None and previous.status == MeetingStatus.SCHEDULED:
            quiet.add(meeting.id)
    return quiet


def produce_meeting_nudges(ctx: Tandem, session: Session, now: datetime) -> int:
    """Queue the reminders and follow-ups that have come due, each exactly once."""
    queued = 0
    while meetings := meetings_with_due_nudges(session, now, NUDGE_BATCH):
        batch = _Batch.load(session, meetings, now)
        quiet = _gone_quiet(session, meetings, now)
        for meeting in meetings:
            pair = batch.pairs.get(meeting.pair_id)
            if pair is not None and meeting.status == MeetingStatus.SCHEDULED:
                queued += _queue_reminders(ctx, session, batch, pair, meeting, now)
                queued += _queue_followup(session, batch, pair, meeting, quiet, now)
                meeting.next_nudge_at = schedule.next_nudge(meeting, pair.reminder_offsets, now)
            else:
                meeting.next_nudge_at = None
            session.add(meeting)
        session.flush()
    return queued

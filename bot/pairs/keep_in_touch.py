"""After the end: "keep in touch", chosen by each graduate, and the two light check-ins.

Rules (who, when, how often) are in `keep_in_touch_rules`. Here: recording a member's choice
(from the graduation message or the Past mentorships entry on Home), the scheduler's producer
of check-ins (one indexed read of the pairs whose check-in has come, a batch at a time, people
loaded once per batch), and the one-off catch-up a check-in offers: a date and time one of
them suggests, posted in the pair's conversation where both see it. No series, no reminders.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import metadata_id
from bot.core.kit import notice_modal
from bot.core.membership import Membership, Refusals, guard
from bot.core.modal_state import ModalState
from bot.core.people import person_zone
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.service import dm_member, post_to_pair
from bot.pairs import keep_in_touch_blocks as blocks
from bot.pairs.keep_in_touch_rules import both_chose, months_of, next_check_in
from storage.models import Pair, PairStatus
from storage.queries.pairs import continued_pairs, held_batches, pair_people, pairs_due

CHECK_IN_KIND = "pair.check_in"  # routine: counted and folded by the daily limit like any
CHOSEN_KIND = "pair.keep_in_touch"  # the first to choose hears the second chose it too
CATCH_UP_KIND = "pair.catch_up"
BATCH = 200
CATCH_UP_HORIZON = timedelta(days=366)
GRADUATED_ONLY = "Keeping in touch is for graduated mentorships."
ENDED_ONLY = Refusals(
    by_status={
        PairStatus.ACTIVE: "Your mentorship with {partner} is still going: nothing to keep yet.",
        PairStatus.PAUSED: "Your mentorship with {partner} is paused, not ended.",
    }
)


def _graduated(
    session: Session, team_id: str, user_id: str, pair_id: int | None
) -> Membership | Refused:
    membership = guard(session, team_id, user_id, pair_id, ENDED_ONLY, (PairStatus.ENDED,))
    if isinstance(membership, Membership) and membership.pair.end_kind != "graduate":
        return Refused(GRADUATED_ONLY)
    return membership


def _mine(membership: Membership) -> str:
    return f"{membership.role}_keeps_in_touch_at"


def keeps_in_touch(membership: Membership) -> bool:
    """Whether this member chose to keep in touch."""
    return getattr(membership.pair, _mine(membership)) is not None


def choose(
    session: Session, team_id: str, user_id: str, pair_id: int | None, keep: bool, now: datetime
) -> Result:
    """Record one member's "keep in touch" (or its withdrawal); the check-ins are scheduled
    once both chose it, and stop as soon as either takes it back."""
    membership = _graduated(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    pair = membership.pair
    session.refresh(pair, with_for_update=True)  # both choosing at once: each sees the other
    was_both = both_chose(pair.mentor_keeps_in_touch_at, pair.mentee_keeps_in_touch_at)
    if keep != keeps_in_touch(membership):
        setattr(pair, _mine(membership), now if keep else None)
    both = both_chose(pair.mentor_keeps_in_touch_at, pair.mentee_keeps_in_touch_at)
    ended_at = pair.ended_at or now
    pair.next_check_in_at = next_check_in(ended_at, now) if both else None
    session.add(pair)
    queued = False
    if both and not was_both:
        # The partner chose first and was told nothing yet: now they hear it is on.
        queued = dm_member(
            session,
            membership.partner.user_id,
            key=f"{CHOSEN_KIND}:{pair.id}:{membership.partner.user_id}",
            kind=CHOSEN_KIND,
            text=blocks.chosen_text(membership.me, True, True),
            deliver_after=now,
            pair=pair,
        )
    return Reply(text=blocks.chosen_text(membership.partner, keep, both), home=True, queued=queued)


def produce_check_ins(ctx: Tandem, session: Session, now: datetime) -> int:
    """Queue the check-ins that have come (3 and 6 months after graduating, for pairs whose
    members both chose to keep in touch); the number of DMs queued. One read per batch of
    due pairs, never a read per pair; outbox keys make a second run add nothing."""
    due = partial(pairs_due, session, Pair.next_check_in_at, now, BATCH, status=PairStatus.ENDED)
    queued = 0
    for batch in held_batches(session, due):
        # Two who started a new chapter are mentoring again: no "want to catch up?".
        continued = continued_pairs(session, [pair.id or 0 for pair in batch])
        for pair in batch:
            queued += _check_in(session, pair, now, pair.id in continued)
    return queued


def _check_in(session: Session, pair: Pair, now: datetime, continued: bool) -> int:
    ended_at = pair.ended_at or now
    # After downtime only the latest check-in reached is sent, never both at once.
    months = months_of(ended_at, now)
    pair.next_check_in_at = next_check_in(ended_at, now)
    session.add(pair)
    chosen = both_chose(pair.mentor_keeps_in_touch_at, pair.mentee_keeps_in_touch_at)
    mentor, mentee = pair_people(session, pair)
    gone = any(p.deleted or p.erased_at is not None for p in (mentor, mentee))
    if pair.end_kind != "graduate" or not chosen or gone or continued:
        pair.next_check_in_at = None
        return 0
    queued = 0
    for person, partner in ((mentor, mentee), (mentee, mentor)):
        text, content = blocks.check_in_message(pair.id or 0, partner, months)
        queued += dm_member(
            session,
            person.user_id,
            key=f"{CHECK_IN_KIND}:{pair.id}:{months}:{person.user_id}",
            kind=CHECK_IN_KIND,
            text=text,
            blocks=content,
            deliver_after=now,
            pair=pair,
        )
    return queued


def catch_up_form(
    ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: int | None
) -> Result:
    """The one-off catch-up form for a member of a graduated pair (a week from now, same hour)."""
    membership = _graduated(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return Reply(modal=notice_modal(membership.message))
    now = ctx.clock.now()
    zone = person_zone(membership.me, ctx.settings)
    initial = (now + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    return Reply(
        modal=blocks.catch_up_modal(membership.pair.id or 0, membership.partner, initial, zone)
    )


def _when(values: ModalState, zone: ZoneInfo, now: datetime) -> datetime | FieldErrors:
    try:
        day = date.fromisoformat(values.date(blocks.DATE_BLOCK) or "")
    except ValueError:
        return FieldErrors({blocks.DATE_BLOCK: "Pick a date."})
    try:
        at = time.fromisoformat(values.time(blocks.TIME_BLOCK) or "")
    except ValueError:
        return FieldErrors({blocks.TIME_BLOCK: "Pick a time."})
    if not now.date() - timedelta(days=1) <= day <= (now + CATCH_UP_HORIZON).date():
        return FieldErrors({blocks.DATE_BLOCK: "Pick a date within the next year."})
    starts_at = datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)
    if starts_at <= now:
        return FieldErrors({blocks.DATE_BLOCK: "Pick a time that hasn't passed yet."})
    return starts_at


def submit_catch_up(
    ctx: Tandem, session: Session, team_id: str, user_id: str, view: dict[str, Any]
) -> Result:
    """Post the suggested catch-up in the pair's conversation, where both see it."""
    membership = _graduated(session, team_id, user_id, metadata_id(view, "pair"))
    if isinstance(membership, Refused):
        return FieldErrors({blocks.DATE_BLOCK: membership.message})
    now = ctx.clock.now()
    values = ModalState.of_view(view)
    starts_at = _when(values, person_zone(membership.me, ctx.settings), now)
    if isinstance(starts_at, FieldErrors):
        return starts_at
    note = values.text(blocks.NOTE_BLOCK).strip()
    if len(note) > blocks.NOTE_LIMIT:
        return FieldErrors({blocks.NOTE_BLOCK: f"Please keep it under {blocks.NOTE_LIMIT}."})
    text, content = blocks.catch_up_post(membership.me, membership.partner, starts_at, note)
    post_to_pair(
        session,
        membership.pair,
        key=f"{CATCH_UP_KIND}:{membership.pair.id}:{user_id}:{int(starts_at.timestamp())}",
        kind=CATCH_UP_KIND,
        text=text,
        blocks=content,
        deliver_after=now,
    )
    sent = blocks.catch_up_sent(membership.partner, starts_at)
    return Reply(modal=notice_modal(sent, "Catch-up"), queued=True)

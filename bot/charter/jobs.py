"""The charter's scheduled work: nudge an active pair with no charter to write one (on day
`NUDGE_DAYS` after activation, in its group DM), and remind a partner, once, of a version they
have not acknowledged within `ACK_REMIND_AFTER` of its save.

A pair's `next_charter_nudge_at` is armed when the scheduler starts tracking it, and saving a
version sets its `next_ack_reminder_at`; the tick reads only the pairs whose date has come, a
batch at a time, with their latest versions (and acknowledgements) read for the whole batch.
"""

from datetime import datetime, timedelta
from functools import partial

from sqlmodel import Session

from bot.charter import NUDGE_DAYS
from bot.charter import blocks as charter_blocks
from bot.core.context import Tandem
from bot.delivery.service import dm_member, post_to_pair
from storage.models import Pair
from storage.queries.charter import current_charters
from storage.queries.pairs import acks_by_version, held_batches, pair_people, pairs_due

BATCH = 200
KIND = "charter.ack_request"  # time-critical, and dropped when a newer version is saved
NUDGE_KIND = "charter.nudge"  # a nudge: only while the pair is active


def arm_charter_nudges(session: Session, pairs: list[Pair], now: datetime) -> None:
    """A newly tracked pair is first looked at on day 3 after its activation (the look
    finds whether it has written a charter by then; a date it already has is kept)."""
    for pair in pairs:
        if pair.next_charter_nudge_at is None:
            pair.next_charter_nudge_at = _started(pair, now) + timedelta(days=NUDGE_DAYS[0])
            session.add(pair)


def _started(pair: Pair, now: datetime) -> datetime:
    return pair.activated_at or now


def produce_charter_nudges(ctx: Tandem, session: Session, now: datetime) -> int:
    """Nudge the due pairs that still have no charter, in their group DM, with the button to
    write it; the number of messages queued."""
    due = partial(pairs_due, session, Pair.next_charter_nudge_at, now, BATCH)
    queued = 0
    for batch in held_batches(session, due):
        written = current_charters(session, [pair.id for pair in batch])
        for pair in batch:
            started = _started(pair, now)
            nth = sum(now - started >= timedelta(days=day) for day in NUDGE_DAYS)
            later = [started + timedelta(days=day) for day in NUDGE_DAYS[nth:]]
            pair.next_charter_nudge_at = None if pair.id in written or not later else later[0]
            session.add(pair)
            if pair.id in written or nth == 0:
                continue
            text, blocks = charter_blocks.charter_nudge(pair.id or 0, nth)
            queued += post_to_pair(
                session,
                pair,
                key=f"{NUDGE_KIND}:{pair.id}:{nth}",
                kind=NUDGE_KIND,
                text=text,
                blocks=blocks,
                deliver_after=now,
            )
    return queued


def produce_ack_reminders(ctx: Tandem, session: Session, now: datetime) -> int:
    """Remind the partner of each due pair whose latest version they have not acknowledged;
    the number of reminders queued."""
    due = partial(pairs_due, session, Pair.next_ack_reminder_at, now, BATCH)
    queued = 0
    for batch in held_batches(session, due):
        latest = current_charters(session, [pair.id for pair in batch])
        acks = acks_by_version(session, [version.id for version in latest.values()])
        for pair in batch:
            pair.next_ack_reminder_at = None  # one reminder per version
            session.add(pair)
            version = latest.get(pair.id)
            if version is None:
                continue
            acked = {ack.person_id for ack in acks[version.id]}
            mentor, mentee = pair_people(session, pair)
            author, partner = (
                (mentor, mentee) if version.author_id == mentor.id else (mentee, mentor)
            )
            if partner.id in acked:
                continue
            text, blocks = charter_blocks.ack_reminder(version, author)
            queued += dm_member(
                session,
                partner.user_id,
                key=f"charter.ack_reminder:{pair.id}:{version.version}",
                kind=KIND,
                text=text,
                blocks=blocks,
                deliver_after=now,
                pair=pair,
            )
    return queued


PRODUCERS = (produce_charter_nudges, produce_ack_reminders)
due_dates = arm_charter_nudges

"""The charter's scheduled work: remind a partner, once, of a version they have not
acknowledged within `ACK_REMIND_AFTER` of its save.

Saving a version sets the pair's `next_ack_reminder_at`; the tick reads only the pairs whose
date has come, a batch at a time, with their latest versions and acknowledgements read for the
whole batch at once.
"""

from datetime import datetime
from functools import partial

from sqlmodel import Session

from bot.charter import blocks as charter_blocks
from bot.core.context import Tandem
from bot.delivery.service import dm_member
from storage.models import Pair
from storage.queries.charter import current_charters
from storage.queries.pairs import acks_by_version, held_batches, pair_people, pairs_due

BATCH = 200
KIND = "charter.ack_request"  # time-critical, and dropped when a newer version is saved


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


PRODUCERS = (produce_ack_reminders,)

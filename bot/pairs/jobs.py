"""Pairing's scheduled work: start tracking pairs that became active, and greet pairs whose
group DM could not be opened at first."""

from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.pairs.group_dm import produce_pair_homes
from storage.queries.pairs import pairs_without_due_dates, people_by_id

TRACK_BATCH = 500


def produce_due_dates(ctx: Tandem, session: Session, now: datetime) -> int:
    """Give every active pair not yet tracked its due dates (each area's, `Parts.due_dates`),
    a bounded batch at a time. Queues nothing itself.

    Pairs become active in many ways (accepting a proposal, an import, older data after a
    migration); this is where each is seen once, so every other producer only ever reads the
    pairs whose date has come.
    """
    while batch := pairs_without_due_dates(session, TRACK_BATCH):
        # Held for the batch: the session keeps loaded rows only while they are referenced,
        # and its `session.get`s are then answered without SQL.
        _members = people_by_id(
            session, {i for pair in batch for i in (pair.mentor_id, pair.mentee_id)}
        )
        for due_dates in ctx.parts.due_dates:
            due_dates(session, batch, now)
        for pair in batch:
            pair.due_dates_set = True
            session.add(pair)
        session.flush()
    return 0


# Tracking first: a pair that just became active is due for its first look this tick.
TRACKING = (produce_due_dates,)
PRODUCERS = (produce_pair_homes,)

"""Pairing's scheduled work: start tracking pairs that became active, greet pairs whose
group DM could not be opened at first, and remind or expire unanswered proposals."""

from datetime import datetime
from functools import partial

from sqlmodel import Session

from bot.core.context import Tandem
from bot.pairs.group_dm import produce_pair_homes
from bot.pairs.proposal_expiry import produce_proposal_checks
from storage.queries.pairs import held_batches, pairs_without_due_dates

TRACK_BATCH = 500


def produce_due_dates(ctx: Tandem, session: Session, now: datetime) -> int:
    """Give every active pair not yet tracked its due dates (each area's, `Parts.due_dates`),
    a bounded batch at a time. Queues nothing itself.

    Pairs become active in many ways (accepting a proposal, an import, older data after a
    migration); this is where each is seen once, so every other producer only ever reads the
    pairs whose date has come.
    """
    for batch in held_batches(
        session, partial(pairs_without_due_dates, session, TRACK_BATCH), with_workspaces=True
    ):
        for due_dates in ctx.parts.due_dates:
            due_dates(session, batch, now)
        for pair in batch:
            pair.due_dates_set = True
            session.add(pair)
    return 0


# Tracking first: a pair that just became active is due for its first look this tick.
TRACKING = (produce_due_dates,)
PRODUCERS = (produce_pair_homes, produce_proposal_checks)

"""Claiming outbox rows: one sender per row, a lease, and takeover when a sender dies; each
workspace in its turn."""

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.context import Tandem
from storage.db import session_scope
from storage.models import OutboxMessage
from storage.queries.delivery import claim_rows, update_claimed_row

LEASE = timedelta(minutes=2)
BATCH_SIZE = 100
# Rows of one workspace a sender claims at once: a workspace Slack slows down holds no more
# than this many of the batch (and, at one post a second, sends them well within the lease).
PER_TEAM = 20


def claim_batch(
    ctx: Tandem, now: datetime, limit: int = BATCH_SIZE, skip_teams: Collection[str] = ()
) -> list[OutboxMessage]:
    """Claim up to `limit` due rows for this sender; a row is claimed by exactly one caller.

    Workspaces take turns, at most PER_TEAM rows each, none of `skip_teams` (workspaces
    that must wait, or whose rows this sender already holds enough of).

    The conditional update is the guarantee on every database; on PostgreSQL, SKIP LOCKED
    also keeps concurrent senders from queueing behind each other's rows. A row whose lease
    ran out (its sender died) is claimable again: that is the takeover.
    """
    with session_scope(ctx.engine) as session:
        return claim_rows(
            session, now, now + LEASE, limit, per_team=PER_TEAM, skip_teams=skip_teams
        )


def update_claimed(session: Session, row: OutboxMessage, **values: object) -> bool:
    """Change a row we claimed, unless another sender took it over after our lease ran out."""
    return update_claimed_row(session, row, values)


def finish(ctx: Tandem, row: OutboxMessage, **values: object) -> bool:
    """`update_claimed` in its own transaction (recording an outcome)."""
    with session_scope(ctx.engine) as session:
        return update_claimed(session, row, **values)

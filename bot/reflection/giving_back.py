"""Every 30 days: the mentor's digest of what they received, and now and then an invitation.

Once a month per active pair (counted from activation) Tandem looks at what was shared:
- if the mentee shared anything since the last digest, the mentor gets a short digest;
- if the mentor has shared at least GIVE_BACK_AFTER more than the mentee since the last
  invitation, the mentee is invited to give back. So an invitation comes at most monthly,
  and only when the giving is lopsided.
"""

from collections import Counter
from datetime import datetime
from functools import partial
from operator import itemgetter

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.delivery.service import dm_member
from bot.reflection.blocks.contributions import digest_message, invite_message
from bot.reflection.rhythm_rules import GIVING_BACK_PERIOD, first_due, following, occurrence_key
from storage.models import Contribution, GivingBack, Pair
from storage.queries.pairs import held_batches, pair_people
from storage.queries.reflection import contributions_of_pairs, pairs_due_giving_back

GIVE_BACK_AFTER = 3


def _given(shared: list[Contribution], since: datetime | None = None) -> Counter[int]:
    """How many contributions each member gave (since `since`, or ever)."""
    return Counter(c.giver_id for c in shared if since is None or c.created_at >= since)


def _digest(
    session: Session,
    mentor: Membership,
    shared: list[Contribution],
    row: GivingBack,
    due: datetime,
    now: datetime,
) -> int:
    since = row.last_digest_at or mentor.pair.activated_at or now
    partner = mentor.partner.id or 0
    received = [c for c in shared if c.giver_id == partner and c.created_at >= since]
    if not received:
        return 0
    totals = _given(shared)
    text, blocks = digest_message(mentor, received, totals[mentor.me.id or 0], totals[partner])
    row.last_digest_at = now
    return int(
        dm_member(
            session,
            mentor.me.user_id,
            key=f"giveback.digest:{mentor.pair.id}:{occurrence_key(due)}",
            kind="reflection.digest",
            text=text,
            blocks=blocks,
            deliver_after=now,
            pair=mentor.pair,
        )
    )


def _invite(
    session: Session,
    mentee: Membership,
    shared: list[Contribution],
    row: GivingBack,
    due: datetime,
    now: datetime,
) -> int:
    since = row.last_invite_at or mentee.pair.activated_at or now
    givers = _given(shared, since)
    mentor_gave, mentee_gave = givers[mentee.partner.id or 0], givers[mentee.me.id or 0]
    if mentor_gave - mentee_gave < GIVE_BACK_AFTER:
        return 0
    text, blocks = invite_message(mentee, mentor_gave)
    row.last_invite_at = now
    return int(
        dm_member(
            session,
            mentee.me.user_id,
            key=f"giveback.invite:{mentee.pair.id}:{occurrence_key(due)}",
            kind="reflection.giveback",
            text=text,
            blocks=blocks,
            deliver_after=now,
            pair=mentee.pair,
        )
    )


def _look(
    session: Session,
    pair: Pair,
    shared: list[Contribution],
    row: GivingBack,
    due: datetime,
    now: datetime,
) -> int:
    mentor, mentee = pair_people(session, pair)
    return _digest(session, Membership(pair, mentor, mentee), shared, row, due, now) + _invite(
        session, Membership(pair, mentee, mentor), shared, row, due, now
    )


def produce_giving_back(ctx: Tandem, session: Session, now: datetime) -> int:
    """Queue the digests and invitations due at `now`; schedule each pair's next look."""
    queued = 0
    due_pairs = partial(pairs_due_giving_back, session, now)
    for batch in held_batches(session, due_pairs, itemgetter(0)):
        # What each due pair shared, read once for the batch (not three times per pair).
        shared = contributions_of_pairs(session, [pair.id or 0 for pair, _ in batch])
        for pair, row in batch:
            if row is None:  # first look at this pair: its rhythm starts at activation
                row = GivingBack(
                    pair_id=pair.id,
                    team_id=pair.team_id,
                    next_check_at=first_due(pair.activated_at or now, GIVING_BACK_PERIOD),
                )
            due = row.next_check_at
            if due <= now:
                queued += _look(session, pair, shared.get(pair.id or 0, []), row, due, now)
                row.next_check_at = following(due, GIVING_BACK_PERIOD, now)
            pair.next_giving_back_at = row.next_check_at
            session.add_all((row, pair))
    return queued

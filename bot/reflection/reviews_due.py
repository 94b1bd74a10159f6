"""Scheduled reviews: every N months, both members are invited to a round.

The first round comes N months after the first meeting held (not the pairing: a pair that
first meets in March is not asked how it is going in March because it was paired in
December); a pair that never met is looked at again every NOT_MET_LOOK until it has.

N is the charter's `review_interval_months`, else the workspace's (default 3). Only active
pairs are invited; a review that falls due during a pause waits for the resume. A round
nobody finished stays open: the next due date invites again to that same round.
"""

from datetime import datetime, timedelta
from functools import partial

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.reflection.rhythm_rules import first_due, following, occurrence_key
from bot.reflection.service.reviews import invite_to_review, open_round, review_step_of
from storage.db import insert_new
from storage.models import Pair, Review
from storage.queries.charter import current_charters
from storage.queries.meetings import first_met_of
from storage.queries.pairs import held_batches, pair_people
from storage.queries.reflection import answered_by, last_rounds, open_reviews, pairs_due_review

NOT_MET_LOOK = timedelta(days=7)


def _open_rounds(
    session: Session, pairs: list[Pair], now: datetime
) -> dict[int, tuple[Review, bool]]:
    """`open_round` for every pair of a batch: their open rounds read, the missing ones
    inserted, a constant number of statements whatever the batch's size."""
    ids = [pair.id or 0 for pair in pairs]
    rounds = {pair_id: (review, False) for pair_id, review in open_reviews(session, ids).items()}
    without = [pair for pair in pairs if (pair.id or 0) not in rounds]
    lasts = last_rounds(session, [pair.id or 0 for pair in without])
    fresh = [
        {
            "team_id": pair.team_id,
            "pair_id": pair.id or 0,
            "round": lasts.get(pair.id or 0, 0) + 1,
            "opened_at": now,
        }
        for pair in without
    ]
    for review in insert_new(session, Review, fresh, ["pair_id", "round"]):
        rounds[review.pair_id] = (review, True)
    for pair in without:
        if (pair.id or 0) not in rounds:
            # A member opened that round meanwhile (answering first): `open_round` finds it.
            rounds[pair.id or 0] = open_round(session, pair, now)
    return rounds


def _invite_all(session: Session, due: list[tuple[Pair, datetime]], now: datetime) -> int:
    if not due:
        return 0
    rounds = _open_rounds(session, [pair for pair, _ in due], now)
    answered = answered_by(session, [review.id or 0 for review, _ in rounds.values()])
    queued = 0
    for pair, due_at in due:
        mentor, mentee = pair_people(session, pair)
        review, created = rounds[pair.id or 0]
        # A new round's invitation shares its key with the one sent when a partner answers
        # first, so nobody is invited twice; an old open round is re-invited once per due date.
        suffix = "" if created else f":{occurrence_key(due_at)}"
        for me, partner in ((mentor, mentee), (mentee, mentor)):
            if me.id not in answered.get(review.id or 0, set()):
                membership = Membership(pair=pair, me=me, partner=partner)
                queued += invite_to_review(session, membership, review, now, key_suffix=suffix)
    return queued


def produce_reviews(ctx: Tandem, session: Session, now: datetime) -> int:
    """Open the review rounds due at `now`, invite both members, schedule the next round."""
    queued = 0
    due_pairs = partial(pairs_due_review, session, now)
    for batch in held_batches(session, due_pairs, with_workspaces=True):
        charters = current_charters(session, [pair.id or 0 for pair in batch])
        ids = [pair.id or 0 for pair in batch]
        firsts, held = first_met_of(session, ids), last_rounds(session, ids)
        due_now: list[tuple[Pair, datetime]] = []
        for pair in batch:
            step = review_step_of(session, pair, charters.get(pair.id or 0))
            due = pair.next_review_at
            if (pair.id or 0) not in held:  # the first round counts from the first meeting
                first_met = firsts.get(pair.id or 0)
                due = first_due(first_met, step) if first_met else now + NOT_MET_LOOK
            elif due is None:
                due = first_due(pair.activated_at or now, step)
            if due <= now:
                due_now.append((pair, due))
                due = following(due, step, now)
            pair.next_review_at = due
            session.add(pair)
        queued += _invite_all(session, due_now, now)
    return queued

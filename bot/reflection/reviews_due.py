"""Scheduled reviews: every N months from activation, both members are invited to a round.

N is the charter's `review_interval_months`, else the workspace's (default 3). Only active
pairs are invited; a review that falls due during a pause waits for the resume. A round
nobody finished stays open: the next due date invites again to that same round.
"""

from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.reflection.rhythm import first_due, following, occurrence_key
from bot.reflection.service.reviews import invite_to_review, open_round, review_step_of
from storage.models import Pair, Person
from storage.queries.charter import current_charters
from storage.queries.pairs import people_by_id
from storage.queries.reflection import pairs_due_review, review_answers


def _invite_both(session: Session, pair: Pair, due: datetime, now: datetime) -> int:
    mentor = session.get(Person, pair.mentor_id)
    mentee = session.get(Person, pair.mentee_id)
    if mentor is None or mentee is None:
        return 0
    review, created = open_round(session, pair, now)
    answered = {a.person_id for a in review_answers(session, review.id or 0)}
    # A new round's invitation shares its key with the one sent when a partner answers
    # first, so nobody is invited twice; an old open round is re-invited once per due date.
    suffix = "" if created else f":{occurrence_key(due)}"
    queued = 0
    for me, partner in ((mentor, mentee), (mentee, mentor)):
        if me.id not in answered:
            membership = Membership(pair=pair, me=me, partner=partner)
            queued += invite_to_review(session, membership, review, now, key_suffix=suffix)
    return queued


def produce_reviews(ctx: Tandem, session: Session, now: datetime) -> int:
    """Open the review rounds due at `now`, invite both members, schedule the next round."""
    queued = 0
    while batch := pairs_due_review(session, now):
        charters = current_charters(session, [pair.id or 0 for pair in batch])
        # Held for the batch: the session keeps loaded rows only while they are referenced,
        # and its `session.get`s are then answered without SQL.
        _members = people_by_id(
            session, {i for pair in batch for i in (pair.mentor_id, pair.mentee_id)}
        )
        for pair in batch:
            step = review_step_of(session, pair, charters.get(pair.id or 0))
            due = pair.next_review_at
            if due is None:  # first look at this pair: its rhythm starts at activation
                due = first_due(pair.activated_at or now, step)
            if due <= now:
                queued += _invite_both(session, pair, due, now)
                due = following(due, step, now)
            pair.next_review_at = due
            session.add(pair)
        session.flush()
    return queued

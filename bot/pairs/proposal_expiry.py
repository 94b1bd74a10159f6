"""Proposals nobody finished answering: one reminder after `REMIND_AFTER`, and after
`PROPOSAL_LIFETIME` the proposal expires, so the same two people can be proposed again.

Each proposed pair carries its next look (`Pair.next_proposal_check_at`, set when proposed);
the tick reads only the proposals whose look has come, a batch at a time.
"""

from datetime import datetime
from functools import partial

from sqlmodel import Session

from bot.core.context import Tandem
from bot.delivery.service import cancel_pending, dm_member
from bot.pairs import blocks as pair_blocks
from bot.pairs.service import PROPOSAL_LIFETIME, REMIND_AFTER
from storage.models import Pair, PairStatus, Person
from storage.queries.pairs import held_batches, pair_people, pairs_due

BATCH = 200
REMINDER_KIND = "pair.proposal"  # the proposal again: time-critical, closed with it
EXPIRED_KIND = "pair.expired"


def produce_proposal_checks(ctx: Tandem, session: Session, now: datetime) -> int:
    """Remind or expire the proposals whose look has come; the number of messages queued."""
    due = partial(
        pairs_due, session, Pair.next_proposal_check_at, now, BATCH, status=PairStatus.PROPOSED
    )
    queued = 0
    for batch in held_batches(session, due):
        for pair in batch:
            queued += _look_at(session, pair, now)
    return queued


def _look_at(session: Session, pair: Pair, now: datetime) -> int:
    """Move the proposal on by its age: not yet (a migrated row), remind, or expire."""
    age = now - pair.created_at
    if age < REMIND_AFTER:
        pair.next_proposal_check_at = pair.created_at + REMIND_AFTER
        session.add(pair)
        return 0
    if age < PROPOSAL_LIFETIME:
        pair.next_proposal_check_at = pair.created_at + PROPOSAL_LIFETIME
        session.add(pair)
        return _remind(session, pair, now)
    return _expire(session, pair, now)


def _waiting(pair: Pair, mentor: Person, mentee: Person) -> list[Person]:
    return [
        person
        for person, accepted in (
            (mentor, pair.mentor_accepted_at),
            (mentee, pair.mentee_accepted_at),
        )
        if accepted is None
    ]


def _remind(session: Session, pair: Pair, now: datetime) -> int:
    mentor, mentee = pair_people(session, pair)
    proposer = session.get(Person, pair.proposed_by_id)
    if proposer is None:
        raise LookupError(f"pair {pair.id} lost its proposer row")
    days = (pair.created_at + PROPOSAL_LIFETIME - now).days
    queued = 0
    for person in _waiting(pair, mentor, mentee):
        text, blocks = pair_blocks.proposal_reminder(pair, mentor, mentee, proposer, person, days)
        queued += dm_member(
            session,
            person.user_id,
            key=f"pair.proposal_reminder:{pair.id}:{person.user_id}",
            kind=REMINDER_KIND,
            text=text,
            blocks=blocks,
            deliver_after=now,
            pair=pair,
        )
    return queued


def _expire(session: Session, pair: Pair, now: datetime) -> int:
    pair.status = PairStatus.EXPIRED
    pair.next_proposal_check_at = None
    pair.updated_at = now
    session.add(pair)
    cancel_pending(session, pair.id, (REMINDER_KIND,))
    mentor, mentee = pair_people(session, pair)
    told: dict[int | None, Person] = {mentor.id: mentor, mentee.id: mentee}
    proposer = session.get(Person, pair.proposed_by_id)
    if proposer is not None:
        told.setdefault(proposer.id, proposer)
    queued = 0
    for person in told.values():
        queued += dm_member(
            session,
            person.user_id,
            key=f"{EXPIRED_KIND}:{pair.id}:{person.user_id}",
            kind=EXPIRED_KIND,
            text=pair_blocks.expired_notice(mentor, mentee, person),
            deliver_after=now,
            pair=pair,
        )
    return queued

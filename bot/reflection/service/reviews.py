"""Periodic reviews: a round per pair, private answers, results only once both have answered.

A round opens when the schedule says so (see reviews_due) or when a member answers with no
round open (`/tandem review`). Each member answers once. Until both have, each sees only
their own answers; then both get the two side by side, with suggested next steps.
"""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.membership import Membership, Refusals, guard
from bot.core.programme_settings import effective_settings
from bot.core.results import FieldErrors, Refused
from bot.delivery.service import dm_member
from bot.reflection.access import NOT_YOURS, member_for_draft
from bot.reflection.blocks import review as review_blocks
from bot.reflection.review_rules import (
    DECISION_LABELS,
    GOALS_LABELS,
    NOTE_LIMIT,
    TIME_LABELS,
    VALUE_LABELS,
    suggested_next_steps,
)
from bot.reflection.rhythm_rules import review_step
from bot.reflection.service.reciprocity import giving_lines
from bot.reflection.signals import health_lines
from storage.models import CharterVersion, Pair, Review, ReviewAnswer
from storage.queries.charter import current_charter
from storage.queries.reflection import (
    answers_of_reviews,
    last_round,
    open_review,
    open_reviews,
    review_answers,
    review_by_id,
    review_for_update,
)


@dataclass(frozen=True)
class ReviewDraft:
    """What the review modal submitted (None for anything left empty)."""

    pair_id: int | None
    review_id: int | None
    value: str | None
    time: str | None
    goals: str | None
    decision: str | None
    note: str | None


@dataclass(frozen=True)
class ReviewSeen:
    """A round as one member may see it: the partner's answers only once both answered."""

    membership: Membership
    review: Review
    mine: ReviewAnswer | None
    theirs: ReviewAnswer | None

    @property
    def complete(self) -> bool:
        """Both have answered."""
        return self.review.completed_at is not None


def review_interval(session: Session, pair: Pair) -> relativedelta:
    """The pair's gap between reviews: charter, else workspace setting, else 3 months."""
    return review_step_of(session, pair, current_charter(session, pair.id or 0))


def review_step_of(session: Session, pair: Pair, charter: CharterVersion | None) -> relativedelta:
    """`review_interval` with the pair's current charter already at hand; without a charter's
    choice, the cohort's interval, else the workspace's (both by primary key: free for a
    producer holding its batch's workspaces and cohorts)."""
    return review_step(
        charter.review_interval_months if charter else None,
        effective_settings(session, pair).review_interval_months,
    )


def seen_by(session: Session, membership: Membership, review: Review) -> ReviewSeen:
    """What `membership.me` may see of `review`."""
    return _seen(membership, review, review_answers(session, review.id or 0))


def _seen(membership: Membership, review: Review, answers: list[ReviewAnswer]) -> ReviewSeen:
    by_person = {a.person_id: a for a in answers}
    theirs = by_person.get(membership.partner.id) if review.completed_at else None
    return ReviewSeen(membership, review, by_person.get(membership.me.id), theirs)


def current_review(session: Session, membership: Membership) -> ReviewSeen | None:
    """The pair's open round as the member sees it, if a round is open."""
    review = open_review(session, membership.pair.id or 0)
    return seen_by(session, membership, review) if review else None


def current_reviews(session: Session, memberships: list[Membership]) -> dict[int, ReviewSeen]:
    """Pair id → `current_review`, for all of a person's pairs in two statements, whatever
    their number (pairs without an open round are absent)."""
    rounds = open_reviews(session, [m.pair.id or 0 for m in memberships])
    answers = answers_of_reviews(session, [review.id or 0 for review in rounds.values()])
    return {
        pair_id: _seen(m, review, answers[review.id or 0])
        for m in memberships
        if (review := rounds.get(pair_id := m.pair.id or 0)) is not None
    }


def review_for(
    session: Session, team_id: str, user_id: str, review_id: int | None
) -> ReviewSeen | Refused:
    """A round a member opens from a button; outsiders get "not found"."""
    review = review_by_id(session, team_id, review_id) if review_id else None
    pair_id = review.pair_id if review else None
    membership = guard(session, team_id, user_id, pair_id, Refusals(NOT_YOURS))
    return membership if isinstance(membership, Refused) else seen_by(session, membership, review)


def open_round(session: Session, pair: Pair, now: datetime) -> tuple[Review, bool]:
    """(the pair's open round, False), or (a new round, True).

    Two members (or two replicas) opening a round at once end up with the same one: the
    unique (pair, round) makes the second insert fail, and it then finds the first.
    """
    existing = open_review(session, pair.id or 0)
    if existing is not None:
        return existing, False
    review = Review(
        team_id=pair.team_id,
        pair_id=pair.id,
        round=last_round(session, pair.id or 0) + 1,
        opened_at=now,
    )
    try:
        with session.begin_nested():
            session.add(review)
    except IntegrityError:
        existing = open_review(session, pair.id or 0)
        if existing is None:
            raise
        return existing, False
    return review, True


def _errors(draft: ReviewDraft) -> dict[str, str]:
    errors = {}
    for field, labels, message in (
        ("value", VALUE_LABELS, "How much value did you gain? Pick 1 to 5."),
        ("time", TIME_LABELS, "Is the time you give it right?"),
        ("goals", GOALS_LABELS, "Are your goals still the right ones?"),
        ("decision", DECISION_LABELS, "How would you like to go on?"),
    ):
        if getattr(draft, field) not in labels:
            errors[field] = message
    if draft.note and len(draft.note.strip()) > NOTE_LIMIT:
        errors["note"] = f"Please keep your note under {NOTE_LIMIT} characters."
    return errors


def _target_round(
    session: Session, membership: Membership, review_id: int | None, now: datetime
) -> Review | Refused:
    if review_id is None:
        review, created = open_round(session, membership.pair, now)
        if created:
            # Started by hand: the next scheduled review counts from today.
            membership.pair.next_review_at = now + review_interval(session, membership.pair)
            session.add(membership.pair)
        return review
    review = session.get(Review, review_id)
    if review is None or review.pair_id != membership.pair.id:
        return Refused(NOT_YOURS)
    return review


def answer_review(
    session: Session, team_id: str, user_id: str, draft: ReviewDraft, now: datetime
) -> ReviewSeen | FieldErrors | Refused:
    """Save `user_id`'s answers; when they are the second, complete the round for both."""
    choose = "Choose which mentorship you are reviewing."
    membership = member_for_draft(session, team_id, user_id, draft.pair_id, choose, _errors(draft))
    if not isinstance(membership, Membership):
        return membership
    review = _target_round(session, membership, draft.review_id, now)
    if isinstance(review, Refused):
        return review
    review = review_for_update(session, review.id or 0)
    if review.completed_at is not None:
        return Refused("This review round is complete: you both answered it already.")
    if seen_by(session, membership, review).mine is not None:
        return Refused(review_blocks.ALREADY_ANSWERED)
    session.add(
        ReviewAnswer(
            team_id=team_id,
            review_id=review.id,
            person_id=membership.me.id,
            value_score=int(draft.value or 0),
            time_commitment=draft.time or "",
            goals_still_right=draft.goals or "",
            decision=draft.decision or "",
            note=(draft.note or "").strip(),
            answered_at=now,
        )
    )
    session.flush()
    answered = {a.person_id for a in review_answers(session, review.id or 0)}
    if membership.partner.id in answered:
        review.completed_at = now
        session.add(review)
        membership.pair.drift_to_review = False  # the rhythm was this round's topic
        session.add(membership.pair)
        _send_results(session, membership, review, now)
    else:
        partner = Membership(membership.pair, membership.partner, membership.me)
        invite_to_review(session, partner, review, now, partner_answered=True)
    return seen_by(session, membership, review)


def invite_to_review(
    session: Session,
    membership: Membership,
    review: Review,
    now: datetime,
    *,
    partner_answered: bool = False,
    key_suffix: str = "",
) -> int:
    """Queue `membership.me` an invitation to answer `review` (once per round and suffix)."""
    text, blocks = review_blocks.invite_message(
        membership, review, partner_answered=partner_answered
    )
    return int(
        dm_member(
            session,
            membership.me.user_id,
            key=f"review.invite:{review.id}:{membership.me.id}{key_suffix}",
            kind="reflection.review",
            text=text,
            blocks=blocks,
            deliver_after=now,
            pair=membership.pair,
        )
    )


def review_outcome(
    session: Session, seen: ReviewSeen, now: datetime
) -> tuple[list[str], list[str]]:
    """(suggested next steps, health lines) to show with a complete round's answers."""
    answers = [a for a in (seen.mine, seen.theirs) if a is not None]
    giving = giving_lines(session, [seen.membership], now)[seen.membership.pair.id or 0]
    return suggested_next_steps(answers), [
        *health_lines(session, seen.membership, now, with_stage=False),
        giving,
    ]


def _send_results(session: Session, membership: Membership, review: Review, now: datetime) -> None:
    for member in (membership, Membership(membership.pair, membership.partner, membership.me)):
        seen = seen_by(session, member, review)
        text, blocks = review_blocks.results_message(seen, *review_outcome(session, seen, now))
        dm_member(
            session,
            member.me.user_id,
            key=f"review.results:{review.id}:{member.me.id}",
            kind="reflection.results",
            text=text,
            blocks=blocks,
            deliver_after=now,
            pair=member.pair,
        )

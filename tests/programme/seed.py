"""A programme built straight in the database, with what each pair lived through known."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.people import ensure_workspace
from storage.models import (
    CharterAck,
    CharterVersion,
    Meeting,
    MeetingStatus,
    Pair,
    PairStatus,
    Person,
    Review,
    ReviewAnswer,
)
from tests.support.factories import DEFAULT_CHARTER
from tests.support.harness import Harness

WEEK = timedelta(weeks=1)


@dataclass
class SeededPair:
    """What the test itself knows about a pair it seeded (its oracle's input)."""

    pair_id: int
    mentor: str
    mentee: str
    status: str
    started_at: datetime
    met_at: list[datetime] = field(default_factory=list)
    charter_acks: int = 0  # 0: no charter; 1: only the author; 2: both
    review_opened_at: datetime | None = None
    review_answers: int = 0
    waiting_for: tuple[str, ...] = ()


def person(tandem: Harness, session, user_id: str, now: datetime) -> Person:  # type: ignore[no-untyped-def]
    tandem.emulator.add_user(user_id, user_id.lower(), tz="Europe/London")
    row = Person(
        team_id=tandem.team_id,
        user_id=user_id,
        display_name=user_id.lower(),
        real_name=user_id.title(),
        tz="Europe/London",
        refreshed_at=now,
    )
    session.add(row)
    session.flush()
    return row


def seed_programme(tandem: Harness, pairs: int, seed: int, now: datetime) -> list[SeededPair]:
    """`pairs` pairs in random but known states: proposals, active pairs, a few paused."""
    rng = random.Random(seed)
    seeded = []
    with tandem.session() as session:
        ensure_workspace(session, tandem.team_id)
        for n in range(pairs):
            mentor = person(tandem, session, f"USM{seed:02d}{n:03d}", now)
            mentee = person(tandem, session, f"USE{seed:02d}{n:03d}", now)
            kind = rng.choice(["proposed", "active", "active", "active", "paused"])
            weeks = rng.randint(1, 20)
            started = now - timedelta(weeks=weeks, hours=rng.randint(0, 100))
            pair = Pair(
                team_id=tandem.team_id,
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                proposed_by_id=mentor.id,
                status=PairStatus.ACTIVE if kind != "proposed" else PairStatus.PROPOSED,
                created_at=started,
                updated_at=started,
            )
            facts = SeededPair(0, mentor.user_id, mentee.user_id, kind, started)
            if kind == "proposed":
                facts.started_at = now - timedelta(days=rng.randint(0, 14), hours=3)
                pair.created_at = facts.started_at
                waiting = rng.choice([("mentee",), ("mentor", "mentee")])
                pair.mentor_accepted_at = None if "mentor" in waiting else facts.started_at
                facts.waiting_for = waiting
            else:
                pair.mentor_accepted_at = pair.mentee_accepted_at = started
                pair.activated_at = started
                if kind == "paused":
                    pair.status = PairStatus.PAUSED
            session.add(pair)
            session.flush()
            facts.pair_id = pair.id
            if kind != "proposed":
                facts.charter_acks = rng.choice([0, 1, 2, 2])
                if facts.charter_acks:
                    version = CharterVersion(
                        team_id=tandem.team_id,
                        pair_id=pair.id,
                        version=1,
                        author_id=mentor.id,
                        created_at=started,
                        **DEFAULT_CHARTER,  # weekly
                    )
                    session.add(version)
                    session.flush()
                    for member in [mentor, mentee][: facts.charter_acks]:
                        session.add(
                            CharterAck(
                                team_id=tandem.team_id,
                                charter_version_id=version.id,
                                person_id=member.id,
                                acked_at=started,
                            )
                        )
                for week in range(1, rng.randint(0, weeks) + 1):
                    at = started + week * WEEK
                    if at <= now:
                        facts.met_at.append(at)
                        session.add(
                            Meeting(
                                team_id=tandem.team_id,
                                pair_id=pair.id,
                                starts_at=at,
                                status=MeetingStatus.MET,
                                logged_at=at,
                            )
                        )
                if rng.random() < 0.4:
                    facts.review_opened_at = now - timedelta(days=rng.randint(1, 20))
                    facts.review_answers = rng.randint(0, 1)
                    review = Review(
                        team_id=tandem.team_id,
                        pair_id=pair.id,
                        round=1,
                        opened_at=facts.review_opened_at,
                    )
                    session.add(review)
                    session.flush()
                    if facts.review_answers:
                        session.add(
                            ReviewAnswer(
                                team_id=tandem.team_id,
                                review_id=review.id,
                                person_id=mentor.id,
                                value_score=4,
                                time_commitment="right",
                                goals_still_right="yes",
                                decision="continue",
                                note="PRIVATE REVIEW NOTE",
                                answered_at=facts.review_opened_at,
                            )
                        )
            seeded.append(facts)
    return seeded

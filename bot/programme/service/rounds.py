"""Matching rounds: propose matches from the pool, let the admin drop some, then send them.

Nothing reaches anyone until the admin sends the round; sending proposes each remaining
match through the consent flow (both people are asked to accept), in the round's cohort.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.clock import zone_or_utc
from bot.core.results import Refused
from bot.delivery.service import dm_member, queued_together
from bot.pairs.blocks import MatchReasons
from bot.pairs.service import propose_people
from bot.programme.blocks.unmatched import unmatched_text
from bot.programme.match_reasons_rules import Unmatched, unmatched_reasons
from bot.programme.matching_rules import Candidate, Match, Role, match_pool
from storage.models import AdminAction, Cohort, JoinProfile, MatchProposal, MatchRound, Person
from storage.queries.programme import (
    match_round,
    open_pair_counts,
    past_partners,
    pool,
    round_proposals,
)
from storage.queries.rounds import join_notes, open_rounds, people_by_id

# People one round takes. Not Slack's limit (the review is paginated, 40 matches a page, and
# the answer goes through response_url, good for 30 minutes) but the admin's wait: matching
# is exact and grows faster than the pool (4–30 s for 20,000 people). Beyond it the
# longest-waiting are matched first, and the admin is told how many wait and why.
MAX_POOL = 20_000
NOT_FOUND = "I couldn't find that matching round. Run `/tandem admin match` for a new one."
UNMATCHED_KIND = "programme.unmatched"
CLOSED = "This round has been sent or discarded already, so its matches can't change."
DISCARDED = (
    "This round was discarded (or replaced by a newer one), so nothing was sent. "
    "Run `/tandem admin match` for a new one."
)


@dataclass(frozen=True)
class RoundView:
    """A round as the admin sees it: its proposals with people, and who stayed unmatched."""

    round: MatchRound
    proposals: list[tuple[MatchProposal, Person, Person]]
    pool_size: int
    unmatched: int
    left_out: int = 0  # beyond MAX_POOL, for the next round
    pool_limit: int = MAX_POOL
    cohort: Cohort | None = None
    notes: dict[int, str] = field(default_factory=dict)  # join notes by person id
    why_unmatched: Counter[str] = field(default_factory=Counter)  # reason → how many

    @property
    def open(self) -> bool:
        """Whether the admin can still change and send it."""
        return self.round.sent_at is None and self.round.discarded_at is None


def _offset_minutes(person: Person, now: datetime) -> int:
    offset = now.astimezone(zone_or_utc(person.tz)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _candidate(
    profile: JoinProfile, person: Person, open_as_mentor: int, open_as_mentee: int, now: datetime
) -> Candidate | None:
    """Someone in the pool as the round sees them; None when they can't take part now.

    A mentor's open pairs use up their capacity; someone who already has a mentor (an open
    pair as mentee) is not given another.
    """
    role = Role(profile.role)
    capacity = max(0, profile.capacity - open_as_mentor)
    if open_as_mentee:
        if role == Role.MENTEE:
            return None
        role = Role.MENTOR
    if role == Role.MENTOR and capacity == 0:
        return None
    return Candidate(
        key=person.user_id,
        role=role,
        offers=frozenset(profile.offers or []),
        seeks=frozenset(profile.seeks or []),
        capacity=capacity,
        utc_offset_minutes=_offset_minutes(person, now),
        hours=(profile.work_start_minute, profile.work_end_minute),
        flexible=profile.flexible_hours,
        style=(profile.style_channel, profile.style_pace, profile.style_feedback),
    )


def pool_candidates(
    session: Session, team_id: str, now: datetime, max_pool: int = MAX_POOL
) -> tuple[list[Candidate], dict[str, Person], int]:
    """The pool as the matching function sees it, the people by user id, and how many of
    those who could take part were left out (beyond `max_pool`, the latest joiners).

    People who can't take part now (a full mentor, a mentee who has one) don't use up the
    round's places, so those left out come in once the first ones are paired.
    """
    as_mentor, as_mentee = open_pair_counts(session, team_id)
    candidates, people, left_out = [], {}, 0
    for profile, person in pool(session, team_id):
        found = _candidate(
            profile, person, as_mentor.get(person.id or 0, 0), as_mentee.get(person.id or 0, 0), now
        )
        if found is None:
            continue
        if len(candidates) >= max_pool:
            left_out += 1
            continue
        people[person.user_id] = person
        candidates.append(found)
    return candidates, people, left_out


def run_round(
    session: Session,
    admin: Person,
    team_id: str,
    now: datetime,
    cohort: Cohort | None = None,
    seed: int | None = None,
    max_pool: int = MAX_POOL,
) -> RoundView | Refused:
    """Match the pool and keep the proposals for the admin to look over (nothing is sent)."""
    candidates, people, left_out = pool_candidates(session, team_id, now, max_pool)
    mentors = sum(c.role != Role.MENTEE and c.capacity > 0 for c in candidates)
    mentees = sum(c.role != Role.MENTOR for c in candidates)
    if not mentors or not mentees:
        return Refused(
            f"The matching pool has {len(candidates)} people ({mentors} who can mentor, "
            f"{mentees} looking for a mentor): a round needs both. Invite people to "
            "`/tandem join`."
        )
    by_id = {person.id: user_id for user_id, person in people.items()}
    past = [
        (by_id[a], by_id[b])
        for a, b in past_partners(session, team_id)
        if a in by_id and b in by_id
    ]
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    matches = match_pool(candidates, seed=seed, past_partners=past)
    reasons = unmatched_reasons(candidates, matches)
    for older in open_rounds(session, team_id):  # one pool, so one open round: this one
        older.discarded_at = now
        session.add(older)
    found = MatchRound(
        team_id=team_id,
        run_by_user_id=admin.user_id,
        seed=seed,
        cohort_id=cohort.id if cohort else None,
        created_at=now,
        unmatched=[[people[key].id, reason.value] for key, reason in sorted(reasons.items())],
    )
    session.add(found)
    session.flush()
    for match in matches:
        session.add(_proposal(found, match, people))
    session.flush()
    matched = {m.mentor for m in matches} | {m.mentee for m in matches}
    proposals = round_proposals(session, found.id or 0)
    return RoundView(
        round=found,
        proposals=proposals,
        pool_size=len(candidates),
        unmatched=len(candidates) - len(matched),
        left_out=left_out,
        pool_limit=max_pool,
        cohort=cohort,
        notes=_notes(session, team_id, proposals),
        why_unmatched=Counter(reason.value for reason in reasons.values()),
    )


def _notes(
    session: Session, team_id: str, proposals: list[tuple[MatchProposal, Person, Person]]
) -> dict[int, str]:
    ids = {person.id or 0 for _, mentor, mentee in proposals for person in (mentor, mentee)}
    return join_notes(session, team_id, ids)


def _proposal(found: MatchRound, match: Match, people: dict[str, Person]) -> MatchProposal:
    return MatchProposal(
        team_id=found.team_id,
        round_id=found.id,
        mentor_id=people[match.mentor].id,
        mentee_id=people[match.mentee].id,
        shared_topics=list(match.shared_topics),
        overlap_minutes=match.overlap_minutes,
        similar_style=match.style_decided,
    )


def round_view(session: Session, team_id: str, round_id: int | None) -> RoundView | Refused:
    """A round as it is now (after drops or sending)."""
    found = match_round(session, team_id, round_id)
    if found is None:
        return Refused(NOT_FOUND)
    proposals = round_proposals(session, found.id or 0)
    cohort = session.get(Cohort, found.cohort_id) if found.cohort_id else None
    unmatched = found.unmatched or []
    return RoundView(
        found,
        proposals,
        pool_size=0,
        unmatched=len(unmatched),
        cohort=cohort,
        notes=_notes(session, team_id, proposals),
        why_unmatched=Counter(str(reason) for _, reason in unmatched),
    )


def toggle_drop(session: Session, team_id: str, proposal_id: int | None) -> RoundView | Refused:
    """Drop a proposed match from its round (or bring it back), until the round is sent."""
    proposal = session.get(MatchProposal, proposal_id) if proposal_id is not None else None
    if proposal is None or proposal.team_id != team_id:
        return Refused(NOT_FOUND)
    found = match_round(session, team_id, proposal.round_id)
    if found is None:
        return Refused(NOT_FOUND)
    if found.sent_at is not None or found.discarded_at is not None:
        return Refused(CLOSED)
    proposal.dropped = not proposal.dropped
    session.add(proposal)
    session.flush()
    return round_view(session, team_id, found.id)


def send_round(
    session: Session,
    client: WebClient,
    admin: Person,
    team_id: str,
    round_id: int | None,
    now: datetime,
) -> RoundView | Refused:
    """Propose every match not dropped through the consent flow; a second send does nothing."""
    found = match_round(session, team_id, round_id)
    if found is None:
        return Refused(NOT_FOUND)
    session.refresh(found, with_for_update=True)  # two clicks at once: one sends
    if found.sent_at is not None:
        return Refused("This round has been sent already; nothing was sent twice.")
    if found.discarded_at is not None:
        return Refused(DISCARDED)
    for proposal, mentor, mentee in round_proposals(session, found.id or 0):
        if proposal.dropped:
            proposal.outcome = "dropped"
        else:
            result = propose_people(
                session,
                client,
                team_id,
                admin,
                mentor.user_id,
                mentee.user_id,
                now,
                found.cohort_id,
                MatchReasons(
                    tuple(proposal.shared_topics or ()),
                    proposal.overlap_minutes,
                    proposal.similar_style,
                ),
            )
            if isinstance(result, Refused):
                proposal.outcome = result.message[:200]
            else:
                proposal.pair_id, proposal.outcome = result.pair.id, "proposed"
        session.add(proposal)
    found.sent_at = now
    session.add(found)
    tell_unmatched(session, found, now)
    record_round_action(session, admin, found, "match_sent", now)
    return round_view(session, team_id, found.id)


def record_round_action(
    session: Session, admin: Person, found: MatchRound, action: str, now: datetime
) -> None:
    """Record what an admin did to a round (sent, swapped, discarded), as at-risk actions are."""
    session.add(
        AdminAction(
            team_id=found.team_id,
            admin_user_id=admin.user_id,
            action=action,
            detail=f"round {found.id}",
            created_at=now,
        )
    )
    session.flush()


def tell_unmatched(session: Session, found: MatchRound, now: datetime) -> int:
    """One DM to each person the round left unmatched (and still is after the admin's
    swaps): why, and what they can do. Queued under a key per round and person, so a second
    send tells no one twice. A mentor the admin's swaps or drops left without a mentee is not
    told: that was the admin's choice, not the pool's."""
    # A swap may have given someone the round left out a mentee since: they are not told.
    kept = {
        person_id
        for proposal, _, _ in round_proposals(session, found.id or 0)
        if not proposal.dropped
        for person_id in (proposal.mentor_id, proposal.mentee_id)
    }
    unmatched = [
        (person_id, why) for person_id, why in found.unmatched or [] if person_id not in kept
    ]
    people = people_by_id(session, [person_id for person_id, _ in unmatched])
    told = 0
    with queued_together(session, now):
        for person_id, reason in unmatched:
            person = people.get(person_id)
            if person is None or person.deleted or person.erased_at is not None:
                continue
            told += dm_member(
                session,
                person.user_id,
                key=f"programme.round.unmatched:{found.id}:{person.user_id}",
                kind=UNMATCHED_KIND,
                text=unmatched_text(Unmatched(reason)),
                deliver_after=now,
                team_id=found.team_id,
            )
    return told

"""Changing a stored round before it is sent: swapping a proposal's mentor for one of the
next-best mentors of that mentee, and discarding the round.

Alternatives are read from the pool as it is now (someone may have left or joined since the
round ran), with each mentor's room in this round: their capacity less their open pairs (as
for the round) less the proposals this round already gives them.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.results import Refused
from bot.programme.match_reasons_rules import alternatives
from bot.programme.matching_rules import Candidate, Match
from bot.programme.service.rounds import (
    CLOSED,
    NOT_FOUND,
    RoundView,
    pool_candidates,
    record_round_action,
    round_view,
)
from storage.models import MatchProposal, MatchRound, Person
from storage.queries.programme import match_round, past_partners
from storage.queries.rounds import people_by_id, round_load

GONE = "That mentee has left the matching pool since the round ran; drop this match instead."


@dataclass(frozen=True)
class SwapChoice:
    """A proposal and the mentors it could be swapped to (best first, with their reasons)."""

    proposal: MatchProposal
    mentor: Person
    mentee: Person
    options: list[tuple[Match, Person]]


def _open_proposal(
    session: Session, team_id: str, proposal_id: int | None
) -> tuple[MatchProposal, MatchRound] | Refused:
    proposal = session.get(MatchProposal, proposal_id) if proposal_id is not None else None
    if proposal is None or proposal.team_id != team_id:
        return Refused(NOT_FOUND)
    found = match_round(session, team_id, proposal.round_id)
    if found is None:
        return Refused(NOT_FOUND)
    if found.sent_at is not None or found.discarded_at is not None:
        return Refused(CLOSED)
    return proposal, found


def _options(
    session: Session, team_id: str, proposal: MatchProposal, now: datetime, limit: int = 3
) -> list[tuple[Match, Person]] | Refused:
    pool, people, _ = pool_candidates(session, team_id, now)
    by_id = {person.id: person for person in people.values()}
    mentee = by_id.get(proposal.mentee_id)
    if mentee is None:
        return Refused(GONE)
    them: Candidate = next(c for c in pool if c.key == mentee.user_id)
    load = round_load(session, proposal.round_id)
    room = {c.key: c.capacity - load.get(people[c.key].id or 0, 0) for c in pool}
    exclude = {by_id[m].user_id for m in (proposal.mentor_id,) if m in by_id}
    for a, b in past_partners(session, team_id):
        if proposal.mentee_id in (a, b):
            other = b if a == proposal.mentee_id else a
            if other in by_id:
                exclude.add(by_id[other].user_id)
    found = alternatives(them, pool, room, exclude, limit)
    return [(match, people[match.mentor]) for match in found]


def swap_choice(
    session: Session, team_id: str, proposal_id: int | None, now: datetime
) -> SwapChoice | Refused:
    """The next-best mentors for a proposal's mentee (up to three), with their reasons."""
    opened = _open_proposal(session, team_id, proposal_id)
    if isinstance(opened, Refused):
        return opened
    proposal, _ = opened
    options = _options(session, team_id, proposal, now)
    if isinstance(options, Refused):
        return options
    people = people_by_id(session, [proposal.mentor_id, proposal.mentee_id])
    return SwapChoice(proposal, people[proposal.mentor_id], people[proposal.mentee_id], options)


def swap_mentor(
    session: Session,
    admin: Person,
    proposal_id: int | None,
    mentor_user_id: str,
    now: datetime,
) -> RoundView | Refused:
    """Give the proposal's mentee the mentor chosen among its alternatives (checked again:
    still fitting, with room), keeping the match's reasons; the round as it is now."""
    opened = _open_proposal(session, admin.team_id, proposal_id)
    if isinstance(opened, Refused):
        return opened
    proposal, found = opened
    options = _options(session, admin.team_id, proposal, now, limit=10_000)
    if isinstance(options, Refused):
        return options
    chosen = next((pair for pair in options if pair[1].user_id == mentor_user_id), None)
    if chosen is None:
        return Refused(
            "That mentor no longer fits this mentee or has no room left in the round; pick another."
        )
    match, mentor = chosen
    proposal.mentor_id = mentor.id or 0
    proposal.shared_topics = list(match.shared_topics)
    proposal.overlap_minutes = match.overlap_minutes
    proposal.similar_style = bool(match.same_style)
    proposal.dropped = False
    session.add(proposal)
    record_round_action(session, admin, found, "match_swapped", now)
    return round_view(session, admin.team_id, found.id)


def discard_round(
    session: Session, admin: Person, round_id: int | None, now: datetime
) -> MatchRound | Refused:
    """Throw an unsent round away: nothing is sent and Home no longer offers it."""
    found = match_round(session, admin.team_id, round_id)
    if found is None:
        return Refused(NOT_FOUND)
    session.refresh(found, with_for_update=True)
    if found.sent_at is not None:
        return Refused("This round has been sent already, so it can't be discarded.")
    if found.discarded_at is None:
        found.discarded_at = now
        session.add(found)
        record_round_action(session, admin, found, "match_discarded", now)
    return found

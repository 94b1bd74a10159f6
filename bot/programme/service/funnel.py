"""The launch funnel: how a cohort's proposals became pairs that meet, as counts and rates,
and what an admin can do from it in bulk.

Proposed → accepted / declined / unanswered / expired → charter signed → first meeting met → still
meeting 30 days after they began. Numbers only, never names; one grouped statement (plus the
cohort names) whatever the size of the programme.

The bulk actions (remind the unanswered, invite declined people back to the pool) are
recorded per pair as the at-risk actions are (AdminAction), and do each pair once: a pair with
the action recorded is not selected again, and each message has its own outbox key.
"""

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime

from sqlmodel import Session

from bot.delivery.service import dm_member, queued_together
from storage.models import AdminAction, JoinProfile, PairStatus, Person
from storage.queries.programme import (
    cohort_names,
    funnel_counts,
    open_pair_counts,
    pairs_without_action,
    profiles_in_pairs,
)

STILL_MEETING_DAYS = 30
# The stages after "proposed", in the funnel's order: (field, heading).
STAGES = (
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("unanswered", "Unanswered"),
    ("expired", "Expired"),  # nobody finished answering in time: not the same as still waiting
    ("charter_signed", "Charter signed"),
    ("first_met", "First meeting met"),
    ("still_meeting", f"Still meeting after {STILL_MEETING_DAYS} days"),
)


@dataclass(frozen=True)
class Funnel:
    """One cohort's (or a whole workspace's) funnel; every stage counts pairs."""

    team_id: str
    scope: str  # "workspace" (every pair) or "cohort"
    cohort: str  # the cohort's name; "" for the workspace, or for pairs in no cohort
    proposed: int
    accepted: int
    declined: int
    unanswered: int
    expired: int
    charter_signed: int
    first_met: int
    still_meeting: int

    def rate(self, stage: str) -> float | None:
        """A stage as a share of the pairs proposed (None when none were)."""
        return getattr(self, stage) / self.proposed if self.proposed else None

    def __add__(self, other: "Funnel") -> "Funnel":
        counts = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name not in ("team_id", "scope", "cohort")
        }
        return Funnel(self.team_id, self.scope, self.cohort, **counts)


def funnels(session: Session, team_id: str | None) -> list[Funnel]:
    """Each workspace's funnel (first), then its cohorts' by name (pairs in no cohort last)."""
    names = cohort_names(session, team_id)
    by_team: dict[str, list[Funnel]] = {}
    for team, cohort_id, *counts in funnel_counts(session, team_id, STILL_MEETING_DAYS):
        name = names.get(cohort_id, "") if cohort_id else ""
        by_team.setdefault(team, []).append(Funnel(team, "cohort", name, *counts))
    return [row for team in sorted(by_team) for row in _with_total(team, by_team[team])]


def _with_total(team_id: str, cohorts: list[Funnel]) -> Iterator[Funnel]:
    total = Funnel(team_id, "workspace", "", 0, 0, 0, 0, 0, 0, 0, 0)
    for cohort in cohorts:
        total = total + cohort
    yield total
    yield from sorted(cohorts, key=lambda row: (not row.cohort, row.cohort))


# -- acting on it in bulk -----------------------------------------------------------------

REMIND_ACTION = "remind_unanswered"
REJOIN_ACTION = "invite_to_pool"
REMIND_KIND = "programme.nudge"  # as the at-risk list's nudge: routine, within the daily limit
REJOIN_KIND = "programme.rejoin"
REMIND_TEXT = (
    "👋 A gentle reminder from your mentoring programme: a mentoring proposal for you is "
    "waiting for your answer. Accept or decline it from my earlier message."
)
REJOIN_TEXT = (
    "A mentoring proposal for you didn't go ahead, and that's fine. If you'd like to be "
    "matched with someone else, `/tandem join` puts you in the matching pool with the topics "
    "you choose; your programme admins run the next round."
)


def _record(
    session: Session, admin: Person, pair_ids: list[int], action: str, now: datetime
) -> None:
    session.add_all(
        AdminAction(
            team_id=admin.team_id,
            admin_user_id=admin.user_id,
            action=action,
            pair_id=pair_id,
            detail="from the launch funnel",
            created_at=now,
        )
        for pair_id in pair_ids
    )
    session.flush()


def _reachable(person: Person) -> bool:
    return not person.deleted and person.erased_at is None


def remind_unanswered(session: Session, admin: Person, now: datetime) -> str:
    """Remind whoever has not answered each waiting proposal, once per proposal; what was done."""
    pairs = pairs_without_action(session, admin.team_id, PairStatus.PROPOSED, REMIND_ACTION)
    reminded: list[int] = []
    people = 0
    with queued_together(session, now):
        for pair, mentor, mentee in pairs:
            waiting = [
                person
                for person, accepted in (
                    (mentor, pair.mentor_accepted_at),
                    (mentee, pair.mentee_accepted_at),
                )
                if accepted is None and _reachable(person)
            ]
            for person in waiting:
                key = f"programme.funnel.remind:{pair.id}:{person.user_id}"
                dm_member(
                    session,
                    person.user_id,
                    key=key,
                    kind=REMIND_KIND,
                    text=REMIND_TEXT,
                    deliver_after=now,
                    pair=pair,
                )
            if waiting:
                reminded.append(pair.id or 0)
                people += len(waiting)
    _record(session, admin, reminded, REMIND_ACTION, now)
    if not reminded:
        return "Every unanswered proposal has been reminded already (or none is waiting)."
    return (
        f"Reminded {people} {'person' if people == 1 else 'people'} about "
        f"{len(reminded)} unanswered proposal{'' if len(reminded) == 1 else 's'}."
    )


def invite_declined_back(session: Session, admin: Person, now: datetime) -> str:
    """Put the people of declined proposals back within reach of the next round: those still in
    the matching pool stay there; those who never joined it, and have no other pair, are invited
    to `/tandem join` (they choose their topics), once each; those who left it themselves are
    left alone. Each declined pair is handled once; what was done."""
    pairs = pairs_without_action(session, admin.team_id, PairStatus.DECLINED, REJOIN_ACTION)
    profiles = profiles_in_pairs(session, admin.team_id, PairStatus.DECLINED)
    as_mentor, as_mentee = open_pair_counts(session, admin.team_id)
    in_pool, invited, left = set(), set(), set()
    with queued_together(session, now):
        for pair, mentor, mentee in pairs:
            for person in (mentor, mentee):
                profile: JoinProfile | None = profiles.get(person.id or 0)
                busy = as_mentor.get(person.id or 0, 0) + as_mentee.get(person.id or 0, 0)
                if profile is not None:
                    (in_pool if profile.in_pool else left).add(person.id)
                elif not busy and _reachable(person) and person.id not in invited:
                    invited.add(person.id)
                    key = f"programme.funnel.rejoin:{person.id}"
                    dm_member(
                        session,
                        person.user_id,
                        key=key,
                        kind=REJOIN_KIND,
                        text=REJOIN_TEXT,
                        deliver_after=now,
                        pair=pair,
                    )
    _record(session, admin, [pair.id or 0 for pair, _, _ in pairs], REJOIN_ACTION, now)
    if not pairs:
        return "Every declined proposal has been handled already (or none was declined)."
    return (
        f"Of the people in {len(pairs)} declined proposal{'' if len(pairs) == 1 else 's'}: "
        f"{len(in_pool)} are in the matching pool for the next round, {len(invited)} invited to "
        f"join it with `/tandem join`, {len(left)} left the pool themselves and were not asked."
    )

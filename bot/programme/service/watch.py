"""Watching over the programme: the pairs at risk, worst first, and what an admin can do.

The list is computed from a fixed number of aggregate statements (see
storage/queries/programme.py), plus one round of the charter and health queries per CHUNK
pairs, so no statement outgrows the database's limit on parameters. Every action an admin
takes on a pair is recorded (who, when, what) and confirmed to them.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.membership import Membership
from bot.core.programme_settings import effective_settings
from bot.core.results import Refused
from bot.delivery.service import post_to_pair
from bot.meetings.service.commands import pause_for_programme
from bot.pairs.service import Proposed, close_pair, propose_people
from bot.programme.risk_rules import AtRisk, PairFacts, Reason, rank_at_risk
from bot.reflection.service.health import Health, cadence_period, health_of_pairs
from storage.models import AdminAction, CharterVersion, Pair, PairStatus, Person
from storage.queries.charter import current_charters, signed_charter_pairs
from storage.queries.pairs import pair_people, settings_rows
from storage.queries.programme import (
    charter_version_counts,
    cohort_names,
    last_actions,
    last_met,
    open_pair_ids,
    open_review_answers,
    pairs_with_ids,
    people_of_pairs,
)

# Pair ids bound per statement where a query takes a list of them (charters, health): far
# below SQLite's 32,766 variables and PostgreSQL's 65,535 parameters, so any size works.
CHUNK = 1000
PAUSE_FOR = timedelta(weeks=4)
NUDGE_AGAIN_AFTER = timedelta(days=1)
T = TypeVar("T")
NOT_FOUND = "I couldn't find that pair in this workspace. `/tandem admin pairs` lists them."


@dataclass(frozen=True)
class AtRiskPair:
    """A pair at risk as an admin sees it: who, which cohort, why, and the last action taken."""

    pair: Pair
    mentor: Person
    mentee: Person
    cohort: str | None
    risk: AtRisk
    last_action: AdminAction | None

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.risk.reasons


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start : start + max(1, size)]


def at_risk_pairs(
    session: Session,
    team_id: str,
    now: datetime,
    cohort_id: int | None = None,
    chunk: int = CHUNK,
) -> list[AtRiskPair]:
    """The workspace's pairs at risk (of one cohort), worst first.

    Most facts come from statements selecting the pairs by subquery; the charter and health
    queries take lists of ids, so they are asked `chunk` pairs at a time.
    """
    ids = open_pair_ids(team_id, cohort_id)
    pairs = pairs_with_ids(session, ids)
    if not pairs:
        return []
    pair_ids = [p.id or 0 for p in pairs]
    met = last_met(session, ids, now)
    charters: dict[int, CharterVersion] = {}
    signed: set[int] = set()
    for some in _chunks(pair_ids, chunk):
        charters.update(current_charters(session, some))
        signed |= signed_charter_pairs(session, some)
    versions = charter_version_counts(session, ids)
    reviews = open_review_answers(session, ids)
    active = [p for p in pairs if p.status == PairStatus.ACTIVE]
    health: dict[int, Health] = {}
    for some_pairs in _chunks(active, chunk):
        health.update(health_of_pairs(session, some_pairs, now))
    # Held while the pairs are looked at: a pair without a charter meets at its default cadence.
    held = settings_rows(session, [pair for pair in pairs if pair.id not in charters])
    facts = []
    for pair in pairs:
        pair_id = pair.id or 0
        charter = charters.get(pair_id)
        review = reviews.get(pair_id)
        waiting = tuple(
            role
            for role, accepted in (
                ("mentor", pair.mentor_accepted_at),
                ("mentee", pair.mentee_accepted_at),
            )
            if accepted is None
        )
        facts.append(
            PairFacts(
                pair_id=pair_id,
                status=pair.status,
                started_at=(
                    pair.created_at
                    if pair.status == PairStatus.PROPOSED
                    else pair.activated_at or pair.created_at
                ),
                cadence=cadence_period(charter.cadence)
                if charter
                else cadence_period(effective_settings(session, pair).default_cadence),
                last_met_at=met.get(pair_id),
                charter_versions=versions.get(pair_id, 0),
                charter_signed=pair_id in signed,
                review_opened_at=review[0] if review else None,
                review_answers=review[1] if review else 0,
                health=health[pair_id].score if pair_id in health else None,
                waiting_for=waiting,
                drift=(pair.drift_met, pair.drift_expected)
                if pair.drift_met and pair.drift_expected
                else None,
            )
        )
    del held
    ranked = rank_at_risk(facts, now)
    if not ranked:
        return []
    people = people_of_pairs(session, ids)
    cohorts = cohort_names(session, team_id)
    actions = last_actions(session, ids)
    by_id = {p.id: p for p in pairs}
    return [
        AtRiskPair(
            pair=(pair := by_id[risk.pair_id]),
            mentor=people[pair.mentor_id],
            mentee=people[pair.mentee_id],
            cohort=cohorts.get(pair.cohort_id) if pair.cohort_id else None,
            risk=risk,
            last_action=actions.get(risk.pair_id),
        )
        for risk in ranked
    ]


# -- actions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    """An action carried out: what to confirm to the admin, and the record of it."""

    message: str
    action: AdminAction


def pair_of_team(session: Session, team_id: str, pair_id: int | None) -> Pair | None:
    """The pair `pair_id` of `team_id`, if there is one."""
    pair = session.get(Pair, pair_id) if pair_id is not None else None
    return pair if pair is not None and pair.team_id == team_id else None


def _pair(session: Session, team_id: str, pair_id: int | None) -> Pair | None:
    pair = session.get(Pair, pair_id) if pair_id is not None else None
    if pair is None or pair.team_id != team_id:
        return None
    session.refresh(pair, with_for_update=True)  # two admins at once: the second sees the first
    return pair


def _record(
    session: Session, admin: Person, pair: Pair, action: str, detail: str, now: datetime
) -> AdminAction:
    record = AdminAction(
        team_id=pair.team_id,
        admin_user_id=admin.user_id,
        action=action,
        pair_id=pair.id,
        detail=detail[:500],
        created_at=now,
    )
    session.add(record)
    session.flush()
    return record


def _who(mentor: Person, mentee: Person) -> str:
    return f"<@{mentor.user_id}> and <@{mentee.user_id}>"


def nudge(
    session: Session, admin: Person, team_id: str, pair_id: int | None, now: datetime
) -> Done | Refused:
    """A gentle nudge to the pair, from the programme (at most one a day)."""
    pair = _pair(session, team_id, pair_id)
    if pair is None:
        return Refused(NOT_FOUND)
    mentor, mentee = pair_people(session, pair)
    last = last_actions(session, [pair.id or 0]).get(pair.id or 0)
    if last is not None and last.action == "nudge" and now - last.created_at < NUDGE_AGAIN_AFTER:
        return Refused(
            f"{_who(mentor, mentee)} were nudged by <@{last.admin_user_id}> less than a day "
            "ago; give them a little time."
        )
    if pair.status == PairStatus.PROPOSED:
        text = (
            "👋 A gentle nudge from your mentoring programme: a proposal for the two of you is "
            "waiting for an answer. Accept or decline it from my earlier message."
        )
    elif pair.status == PairStatus.ACTIVE:
        text = (
            "👋 A gentle nudge from your mentoring programme: how is your mentorship going? "
            "If it's been a while, find a time to meet; `/tandem log` records a meeting and "
            "`/tandem pause` takes a break if you need one."
        )
    else:
        return Refused(f"{_who(mentor, mentee)} aren't active ({pair.status}), so no nudge.")
    record = _record(session, admin, pair, "nudge", "gentle nudge", now)
    key = f"programme.nudge:{pair.id}:{record.id}"
    post_to_pair(session, pair, key=key, kind="programme.nudge", text=text, deliver_after=now)
    return Done(f"Nudged {_who(mentor, mentee)}.", record)


def pause_pair(
    session: Session, admin: Person, team_id: str, pair_id: int | None, now: datetime
) -> Done | Refused:
    """Pause the pair's nudges for four weeks; they can resume sooner themselves."""
    pair = _pair(session, team_id, pair_id)
    if pair is None:
        return Refused(NOT_FOUND)
    mentor, mentee = pair_people(session, pair)
    if pair.status != PairStatus.ACTIVE:
        return Refused(f"{_who(mentor, mentee)} aren't active ({pair.status}), so no pause.")
    until = (now + PAUSE_FOR).date()
    paused = pause_for_programme(session, Membership(pair, mentor, mentee), until, now)
    if isinstance(paused, Refused):
        return paused
    record = _record(session, admin, pair, "pause", f"until {until.isoformat()}", now)
    return Done(f"Paused {_who(mentor, mentee)} until {until:%-d %B %Y}.", record)


def end_by_admin(
    session: Session, admin: Person, team_id: str, pair_id: int | None, now: datetime
) -> Done | Refused:
    """End the pair (a proposal is withdrawn); both are told kindly, nothing they wrote goes."""
    pair = _pair(session, team_id, pair_id)
    if pair is None:
        return Refused(NOT_FOUND)
    mentor, mentee = pair_people(session, pair)
    if pair.status in (PairStatus.ENDED, PairStatus.DECLINED, PairStatus.EXPIRED):
        return Refused(f"{_who(mentor, mentee)} have already ended.")
    was = pair.status
    close_pair(session, pair, "programme", now)
    if was == PairStatus.PROPOSED:
        text = "Your mentoring programme withdrew the proposal for the two of you."
    else:
        text = (
            "Your mentoring programme has closed this mentorship. Thank you both for the time "
            "you gave it; your history stays in `/tandem status`."
        )
    key = f"programme.ended:{pair.id}"
    post_to_pair(session, pair, key=key, kind="programme.ended", text=text, deliver_after=now)
    record = _record(session, admin, pair, "end", f"was {was}", now)
    return Done(f"Ended {_who(mentor, mentee)}.", record)


def propose_new_mentor(
    session: Session,
    client: WebClient,
    admin: Person,
    team_id: str,
    pair_id: int | None,
    new_mentor_user_id: str | None,
    now: datetime,
) -> tuple[Done, Proposed] | Refused:
    """Propose `new_mentor_user_id` to the pair's mentee, through the consent flow."""
    pair = _pair(session, team_id, pair_id)
    if pair is None:
        return Refused(NOT_FOUND)
    mentor, mentee = pair_people(session, pair)
    if not new_mentor_user_id:
        return Refused("Choose the new mentor.")
    if new_mentor_user_id == mentor.user_id:
        return Refused(f"<@{mentor.user_id}> is already {mentee.display_name or 'their'} mentor.")
    proposed = propose_people(
        session, client, team_id, admin, new_mentor_user_id, mentee.user_id, now, pair.cohort_id
    )
    if isinstance(proposed, Refused):
        return proposed
    record = _record(session, admin, pair, "new_mentor", f"proposed <@{new_mentor_user_id}>", now)
    message = (
        f"Proposed <@{new_mentor_user_id}> as <@{mentee.user_id}>'s new mentor; both are asked "
        f"to accept. The pair with <@{mentor.user_id}> carries on until you end it."
    )
    return Done(message, record), proposed

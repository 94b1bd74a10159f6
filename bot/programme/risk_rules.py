"""Which pairs need an admin's help, and why: pure rules over facts the database aggregates.

A pair is at risk for any of these reasons (an admin sees states, dates, counts and scores,
never what the pair wrote):

| reason   | when                                                    | weight            |
| -------- | ------------------------------------------------------- | ----------------- |
| lapsed   | no meeting logged for `LAPSE_CADENCES` cadences or more | 3, +1 per further |
|          |                                                         | cadence, up to 6  |
| proposal | a proposal still unanswered after `PROPOSAL_GRACE`      | 2                 |
| health   | health score below `HEALTH_THRESHOLD`                   | 2; 3 below half   |
| review   | a round open for `REVIEW_GRACE`, not answered by both   | 1                 |
| charter  | active for `CHARTER_GRACE`, no charter both acknowledged | 1                |
|          | (after the pair's last "write your charter" nudge)      |                   |
| drifting | the lived rhythm clearly differs from the charter's     | 1                 |
|          | (bot/reflection/drift_rules.py: meetings held, expected) |                   |

Worst first: the highest total weight, then the longest-standing problem, then the pair id.
Paused pairs are left alone: a pause is a decision, not a risk.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.charter import NUDGE_DAYS as CHARTER_NUDGE_DAYS
from storage.models import PairStatus

LAPSE_CADENCES = 2  # the same line the programme's "lapsed" count draws
PROPOSAL_GRACE = timedelta(days=7)
REVIEW_GRACE = timedelta(days=7)
# The pair is nudged to write its charter on day 3 and day 10 (bot/charter/jobs.py); only a
# day after the last nudge, still without one, is it the admins' concern.
CHARTER_GRACE = timedelta(days=CHARTER_NUDGE_DAYS[-1] + 1)
HEALTH_THRESHOLD = 40


@dataclass(frozen=True)
class PairFacts:
    """What the rules need to know about one open pair (aggregated by SQL, see queries)."""

    pair_id: int
    status: str
    started_at: datetime  # activation, or the proposal for a pair not active yet
    cadence: timedelta
    last_met_at: datetime | None = None
    charter_versions: int = 0
    charter_signed: bool = False  # some version is acknowledged by both members
    review_opened_at: datetime | None = None  # the open round, if any
    review_answers: int = 0
    health: int | None = None
    waiting_for: tuple[str, ...] = ()  # proposals: "mentor" and/or "mentee"
    drift: tuple[int, int] | None = None  # (meetings held, meetings expected) in its window


@dataclass(frozen=True)
class Reason:
    """One reason a pair is at risk: a code, words for the admin, a weight and since when."""

    code: str
    text: str
    weight: int
    since: datetime


@dataclass(frozen=True)
class AtRisk:
    """A pair at risk with its reasons, heaviest first."""

    pair_id: int
    reasons: tuple[Reason, ...]

    @property
    def severity(self) -> int:
        return sum(reason.weight for reason in self.reasons)

    @property
    def since(self) -> datetime:
        return min(reason.since for reason in self.reasons)


def _days(delta: timedelta) -> str:
    days = max(0, delta.days)
    return "1 day" if days == 1 else f"{days} days"


def cadence_words(cadence: timedelta) -> str:
    """“weekly”, “every 2 weeks”, “monthly”, or a number of days."""
    if cadence == timedelta(weeks=1):
        return "weekly"
    if cadence.days % 7 == 0 and cadence.days <= 21:
        return f"every {cadence.days // 7} weeks"
    if 28 <= cadence.days <= 31:
        return "monthly"
    return f"every {cadence.days} days"


def _lapse(facts: PairFacts, now: datetime) -> Reason | None:
    since = facts.last_met_at or facts.started_at
    missed = (now - since) // facts.cadence if facts.cadence > timedelta(0) else 0
    if missed < LAPSE_CADENCES:
        return None
    ago = _days(now - since)
    if facts.last_met_at:
        what = f"No meeting logged for {ago}"
    else:
        what = f"No meeting logged since starting {ago} ago"
    return Reason(
        "lapsed",
        f"{what} ({missed} cadences; they meet {cadence_words(facts.cadence)})",
        min(6, 3 + missed - LAPSE_CADENCES),
        since,
    )


def _proposal(facts: PairFacts, now: datetime) -> Reason | None:
    if now - facts.started_at < PROPOSAL_GRACE:
        return None
    waiting = " and ".join(f"the {role}" for role in facts.waiting_for) or "an answer"
    return Reason(
        "proposal",
        f"Proposal unanswered for {_days(now - facts.started_at)} (waiting for {waiting})",
        2,
        facts.started_at,
    )


def _health(facts: PairFacts, now: datetime) -> Reason | None:
    if facts.health is None or facts.health >= HEALTH_THRESHOLD:
        return None
    weight = 3 if facts.health < HEALTH_THRESHOLD // 2 else 2
    return Reason(
        "health",
        f"Health {facts.health}/100 (below {HEALTH_THRESHOLD})",
        weight,
        now,
    )


def _review(facts: PairFacts, now: datetime) -> Reason | None:
    opened = facts.review_opened_at
    if opened is None or now - opened < REVIEW_GRACE or facts.review_answers >= 2:
        return None
    return Reason(
        "review",
        f"Review opened {_days(now - opened)} ago: {facts.review_answers} of 2 answered",
        1,
        opened,
    )


def _charter(facts: PairFacts, now: datetime) -> Reason | None:
    if facts.charter_signed or now - facts.started_at < CHARTER_GRACE:
        return None
    if facts.charter_versions == 0:
        text = f"No charter written, {_days(now - facts.started_at)} after starting"
    else:
        text = "Charter never acknowledged by both"
    return Reason("charter", text, 1, facts.started_at)


def _drift(facts: PairFacts, now: datetime) -> Reason | None:
    if facts.drift is None:
        return None
    met, expected = facts.drift
    return Reason(
        "drifting",
        f"Met {met} times where {expected} were agreed ({cadence_words(facts.cadence)})",
        1,
        now,
    )


def reasons_for(facts: PairFacts, now: datetime) -> tuple[Reason, ...]:
    """Why the pair is at risk at `now` (empty: it is fine), heaviest reason first."""
    if facts.status == PairStatus.PROPOSED:
        found = [_proposal(facts, now)]
    elif facts.status == PairStatus.ACTIVE:
        found = [
            _lapse(facts, now),
            _health(facts, now),
            _review(facts, now),
            _charter(facts, now),
            _drift(facts, now),
        ]
    else:
        found = []
    reasons = [reason for reason in found if reason is not None]
    return tuple(sorted(reasons, key=lambda r: (-r.weight, r.since, r.code)))


def rank_at_risk(pairs: Iterable[PairFacts], now: datetime) -> list[AtRisk]:
    """The pairs at risk, worst first (see the module docstring)."""
    found = [
        AtRisk(facts.pair_id, reasons) for facts in pairs if (reasons := reasons_for(facts, now))
    ]
    return sorted(found, key=lambda r: (-r.severity, r.since, r.pair_id))

"""Programme health for admins: counts and averages only, never anything a member wrote."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.reflection.health_rules import score_health
from bot.reflection.rhythm_rules import cadence_period
from bot.reflection.signals import default_cadence, health_inputs_for
from storage.models import (
    GoalStatus,
    PairStatus,
)
from storage.queries.charter import current_charters
from storage.queries.pairs import settings_rows
from storage.queries.reflection import (
    average_review_score,
    contribution_count,
    feedback_visibilities,
    goal_statuses,
    last_met_by_pair,
    team_pairs,
)

# A pair has lapsed when it has not met for this many cadence periods.
LAPSE_PERIODS = 2
CHUNK = 1000


@dataclass(frozen=True)
class ProgrammeHealth:
    """Aggregates over a workspace's pairs (None where there is nothing to average yet)."""

    active_pairs: int
    paused_pairs: int
    graduated_pairs: int
    closed_pairs: int
    lapsed_pairs: int
    meeting_rate: float | None  # meetings kept ÷ expected, active pairs, last 12 weeks
    goal_completion: float | None  # completed ÷ goals not dropped, open pairs
    average_review_score: float | None  # value gained, 1–5, completed reviews of open pairs
    average_health: float | None  # mean health score of active pairs with a score
    feedback_counts: dict[str, int] = field(default_factory=dict)  # by visibility
    contributions: int = 0

    def lines(self) -> list[str]:
        """The admin App Home's programme health section, as mrkdwn lines."""

        def pct(value: float | None) -> str:
            return "–" if value is None else f"{round(100 * value)}%"

        def num(value: float | None) -> str:
            return "–" if value is None else f"{value:.1f}"

        return [
            f"*Active pairs:* {self.active_pairs} (paused {self.paused_pairs}, "
            f"lapsed {self.lapsed_pairs})",
            f"*Ended:* {self.graduated_pairs} graduated, {self.closed_pairs} closed",
            f"*Meeting rate:* {pct(self.meeting_rate)} of expected meetings kept (12 weeks)",
            f"*Goal completion:* {pct(self.goal_completion)}",
            f"*Average review score:* {num(self.average_review_score)} / 5",
            f"*Average relationship health:* {num(self.average_health)} / 100",
            f"*Feedback given:* {self.feedback_counts.get('partner', 0)} to partners, "
            f"{self.feedback_counts.get('programme', 0)} for the programme only · "
            f"*Things shared:* {self.contributions}",
        ]


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def programme_health(session: Session, team_id: str, now: datetime) -> ProgrammeHealth:
    """The workspace's programme health at `now` (aggregates only, no private content)."""
    pairs = team_pairs(session, team_id, (PairStatus.ACTIVE, PairStatus.PAUSED, PairStatus.ENDED))
    active = [p for p in pairs if p.status == PairStatus.ACTIVE]
    open_ids = [p.id for p in pairs if p.status != PairStatus.ENDED]
    expected = kept = lapsed = 0
    scores = []
    for start in range(0, len(active), CHUNK):
        # A few statements per chunk of pairs, never a few per pair.
        chunk = active[start : start + CHUNK]
        inputs = health_inputs_for(session, chunk, now)
        ids = [pair.id or 0 for pair in chunk]
        charters = current_charters(session, ids)
        held = settings_rows(session, [pair for pair in chunk if pair.id not in charters])
        last_met = last_met_by_pair(session, ids, now)
        for pair in chunk:
            evidence = inputs[pair.id or 0]
            expected += evidence.meetings_expected
            kept += min(evidence.meetings_kept, evidence.meetings_expected)
            score = score_health(evidence).score
            if score is not None:
                scores.append(score)
            charter = charters.get(pair.id or 0)
            cadence = cadence_period(charter.cadence) if charter else default_cadence(session, pair)
            last = last_met.get(pair.id or 0) or pair.activated_at or pair.created_at
            lapsed += now - last > LAPSE_PERIODS * cadence
        del held
    goals = goal_statuses(session, open_ids)
    feedback = feedback_visibilities(session, team_id)
    return ProgrammeHealth(
        active_pairs=len(active),
        paused_pairs=sum(p.status == PairStatus.PAUSED for p in pairs),
        graduated_pairs=sum(
            p.status == PairStatus.ENDED and p.end_kind == "graduate" for p in pairs
        ),
        closed_pairs=sum(p.status == PairStatus.ENDED and p.end_kind != "graduate" for p in pairs),
        lapsed_pairs=lapsed,
        meeting_rate=_ratio(kept, expected),
        goal_completion=_ratio(goals[GoalStatus.COMPLETED], sum(goals.values())),
        average_review_score=average_review_score(session, open_ids),
        average_health=_ratio(sum(scores), len(scores)),
        feedback_counts=dict(feedback),
        contributions=contribution_count(session, team_id),
    )

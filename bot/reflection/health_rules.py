"""How healthy a mentorship is: a score from 0 to 100 with the reasons behind it.

The score is a weighted mean of five components, each a fraction between 0 and 1:

| component    | weight | value                                                              |
| ------------ | ------ | ------------------------------------------------------------------ |
| meetings     | 40     | meetings kept ÷ meetings the charter's cadence called for          |
| reviews      | 25     | mean of the latest review's value scores, 1 → 0 and 5 → 1          |
| goals        | 15     | mean progress of the pair's goals (completed = 100 %, dropped out) |
| feedback     | 10     | feedback to the partner both ways → 1, one way → ½, none → 0       |
| giving back  | 10     | contributions both ways → 1, one way → ½, none → 0                 |

A component without evidence yet (no meeting was due, no review done, no goals, a pair too
young to have been asked for feedback) is left out and the others are re-weighted, so a new
pair is not punished for being new. With no evidence at all the score is None ("too early").
Each component only ever rises when its evidence improves, so the score does too.

Only what both members can already see feeds the score: feedback meant for the programme
only is not counted, because the reasons are shown to the pair.
"""

from dataclasses import dataclass

WEIGHTS: dict[str, int] = {
    "meetings": 40,
    "reviews": 25,
    "goals": 15,
    "feedback": 10,
    "giving_back": 10,
}


@dataclass(frozen=True)
class HealthInputs:
    """What the score is computed from, for one pair over a recent window."""

    meetings_expected: int  # occurrences the cadence called for in the window
    meetings_kept: int  # meetings marked as met in the window
    review_scores: tuple[int, ...] = ()  # value scores (1–5) of the latest completed review
    goal_progress: tuple[int, ...] = ()  # percent per goal (completed = 100), dropped left out
    feedback_due: bool = False  # the pair is old enough to have been prompted for feedback
    feedback_from_mentor: int = 0  # partner-visible feedback in the window
    feedback_from_mentee: int = 0
    giving_back_due: bool = False  # the pair is old enough for giving back to show
    shared_by_mentor: int = 0  # contributions in the window
    shared_by_mentee: int = 0


@dataclass(frozen=True)
class Health:
    """A score (None while there is no evidence) and one line per component explaining it."""

    score: int | None
    reasons: tuple[str, ...]
    components: dict[str, float]


def _both_ways(a: int, b: int) -> float:
    return (0.5 if a > 0 else 0.0) + (0.5 if b > 0 else 0.0)


def _meetings(inputs: HealthInputs) -> tuple[float, str] | None:
    if inputs.meetings_expected <= 0:
        return None
    kept = max(0, min(inputs.meetings_kept, inputs.meetings_expected))
    value = kept / inputs.meetings_expected
    return value, f"Met {kept} of {inputs.meetings_expected} meetings your cadence called for"


def _reviews(inputs: HealthInputs) -> tuple[float, str] | None:
    scores = [min(max(s, 1), 5) for s in inputs.review_scores]
    if not scores:
        return None
    value = sum((s - 1) / 4 for s in scores) / len(scores)
    shown = " and ".join(str(s) for s in scores)
    return value, f"Latest review: value gained {shown} out of 5 (3 = met expectations)"


def _goals(inputs: HealthInputs) -> tuple[float, str] | None:
    progress = [min(max(p, 0), 100) for p in inputs.goal_progress]
    if not progress:
        return None
    mean = sum(progress) / len(progress)
    plural = "goal" if len(progress) == 1 else "goals"
    return mean / 100, f"Your {len(progress)} {plural}: {round(mean)}% along on average"


def _feedback(inputs: HealthInputs) -> tuple[float, str] | None:
    if not inputs.feedback_due:
        return None
    value = _both_ways(inputs.feedback_from_mentor, inputs.feedback_from_mentee)
    reason = {
        1.0: "Feedback went both ways lately",
        0.5: "Feedback came from one side only lately (`/tandem feedback`)",
        0.0: "No feedback between you lately (`/tandem feedback`)",
    }[value]
    return value, reason


def _giving_back(inputs: HealthInputs) -> tuple[float, str] | None:
    if not inputs.giving_back_due:
        return None
    value = _both_ways(inputs.shared_by_mentor, inputs.shared_by_mentee)
    total = inputs.shared_by_mentor + inputs.shared_by_mentee
    reason = {
        1.0: f"You both gave something to the other lately ({total} shared)",
        0.5: f"Sharing went one way lately ({total} shared; `/tandem share`)",
        0.0: "Nothing shared between you lately (`/tandem share`)",
    }[value]
    return value, reason


def score_health(inputs: HealthInputs) -> Health:
    """The pair's health: a weighted mean of the components that have evidence (see module)."""
    parts = {
        "meetings": _meetings(inputs),
        "reviews": _reviews(inputs),
        "goals": _goals(inputs),
        "feedback": _feedback(inputs),
        "giving_back": _giving_back(inputs),
    }
    known = {name: part for name, part in parts.items() if part is not None}
    if not known:
        return Health(None, ("Too early to tell: nothing was due yet",), {})
    weight = sum(WEIGHTS[name] for name in known)
    total = sum(WEIGHTS[name] * value for name, (value, _) in known.items())
    score = round(100 * total / weight)
    return Health(
        score=score,
        reasons=tuple(reason for _, reason in known.values()),
        components={name: value for name, (value, _) in known.items()},
    )

"""The periodic review's questions, and what to suggest once both members have answered."""

from collections.abc import Sequence
from typing import Protocol

VALUE_LABELS = {
    "1": "1 – well below expectations",
    "2": "2 – below expectations",
    "3": "3 – met expectations",
    "4": "4 – above expectations",
    "5": "5 – well above expectations",
}
TIME_LABELS = {"too_little": "Too little", "right": "About right", "too_much": "Too much"}
GOALS_LABELS = {"yes": "Yes", "partly": "Partly", "no": "No"}
DECISION_LABELS = {
    "continue": "Continue as we are",
    "adjust": "Continue, with some changes",
    "pause": "Take a break",
    "conclude": "Conclude the mentorship",
}
NOTE_LIMIT = 2000


class Answer(Protocol):
    """One member's answers (a ReviewAnswer, or anything shaped like one)."""

    value_score: int
    time_commitment: str
    goals_still_right: str
    decision: str


def suggested_next_steps(answers: Sequence[Answer]) -> list[str]:
    """What the pair might do next, from both members' answers (most important first)."""
    decisions = {a.decision for a in answers}
    steps: list[str] = []
    if "conclude" in decisions:
        both = decisions == {"conclude"}
        steps.append(
            ("You both feel ready to conclude" if both else "One of you is thinking of concluding")
            + ": talk it through, then End lets you graduate or close kindly."
        )
    if "pause" in decisions:
        steps.append("Take a break if you need one: Pause, until a date you choose.")
    if any(a.value_score <= 2 for a in answers) or "adjust" in decisions:
        steps.append(
            "Revise your charter together: say what would make this more valuable, and agree on it."
        )
    if any(a.time_commitment != "right" for a in answers):
        steps.append(
            "Change your cadence or session length in the charter (`/tandem charter`): "
            "the time you give it doesn't feel right to both of you."
        )
    if any(a.goals_still_right != "yes" for a in answers):
        steps.append(
            "Revisit your goals: update, drop or add one (`/tandem goal`, `/tandem update`)."
        )
    if not steps:
        steps.append("You're on track: keep going as you are.")
    return steps


# The buttons the results carry, for what the steps suggest (in this order).
REVISE, PAUSE, END = "revise", "pause", "end"


def suggested_actions(answers: Sequence[Answer]) -> list[str]:
    """Which of REVISE, PAUSE and END the suggested next steps call for, as buttons."""
    decisions = {a.decision for a in answers}
    wanted = {
        REVISE: any(a.value_score <= 2 for a in answers)
        or "adjust" in decisions
        or any(a.time_commitment != "right" for a in answers),
        PAUSE: "pause" in decisions,
        END: "conclude" in decisions,
    }
    return [action for action, yes in wanted.items() if yes]

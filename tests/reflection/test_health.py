"""The health score as a pure function: bounds, documented weights, and monotonic evidence."""

import itertools
from dataclasses import replace

import pytest

from bot.reflection import health_rules as health
from bot.reflection.health_rules import WEIGHTS, HealthInputs, score_health

BASE = HealthInputs(
    meetings_expected=6,
    meetings_kept=4,
    review_scores=(4, 3),
    goal_progress=(50, 100),
    feedback_due=True,
    feedback_from_mentor=1,
    feedback_from_mentee=0,
    giving_back_due=True,
    shared_by_mentor=2,
    shared_by_mentee=1,
)


def score(inputs: HealthInputs) -> int:
    result = score_health(inputs).score
    assert result is not None
    return result


def test_weights_are_documented_and_add_up_to_100() -> None:
    assert sum(WEIGHTS.values()) == 100
    for name, weight in WEIGHTS.items():
        assert f"| {name.replace('_', ' '):<12} | {weight:<6} |" in (health.__doc__ or "")


def test_a_worked_example() -> None:
    # meetings 4/6, reviews mean(3/4, 2/4) = 0.625, goals 0.75, feedback 0.5, giving back 1
    expected = (40 * 4 / 6 + 25 * 0.625 + 15 * 0.75 + 10 * 0.5 + 10 * 1.0) / 100
    assert score(BASE) == round(100 * expected)
    assert len(score_health(BASE).reasons) == 5


def test_no_evidence_is_too_early_not_zero() -> None:
    result = score_health(HealthInputs(meetings_expected=0, meetings_kept=0))
    assert result.score is None and "Too early" in result.reasons[0]


def test_a_new_pair_is_judged_only_on_what_was_due() -> None:
    only_meetings = HealthInputs(meetings_expected=2, meetings_kept=2)
    assert score(only_meetings) == 100
    assert score_health(only_meetings).components == {"meetings": 1.0}


@pytest.mark.parametrize("expected", range(0, 9))
def test_score_stays_within_0_and_100(expected: int) -> None:
    for kept, value, progress in itertools.product(range(0, 10), (1, 3, 5), (0, 40, 100)):
        inputs = replace(
            BASE,
            meetings_expected=expected,
            meetings_kept=kept,
            review_scores=(value,),
            goal_progress=(progress,),
        )
        assert 0 <= score(inputs) <= 100


def test_missing_meetings_lowers_the_score() -> None:
    scores = [score(replace(BASE, meetings_expected=n, meetings_kept=3)) for n in range(3, 10)]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


def test_keeping_meetings_raises_it() -> None:
    scores = [score(replace(BASE, meetings_kept=k)) for k in range(0, 8)]
    assert scores == sorted(scores) and scores[0] < scores[6]
    assert scores[6] == scores[7]  # extra meetings beyond the cadence earn nothing more


def test_better_reviews_raise_it() -> None:
    scores = [score(replace(BASE, review_scores=(v, v))) for v in range(1, 6)]
    assert scores == sorted(scores) and len(set(scores)) == 5


def test_goal_progress_raises_it() -> None:
    scores = [score(replace(BASE, goal_progress=(p,))) for p in range(0, 101, 10)]
    assert scores == sorted(scores) and scores[0] < scores[-1]


@pytest.mark.parametrize(
    ("mentor_field", "mentee_field"),
    [
        ("feedback_from_mentor", "feedback_from_mentee"),
        ("shared_by_mentor", "shared_by_mentee"),
    ],
)
def test_both_ways_beats_one_way_beats_none(mentor_field: str, mentee_field: str) -> None:
    none = score(replace(BASE, **{mentor_field: 0, mentee_field: 0}))
    one = score(replace(BASE, **{mentor_field: 3, mentee_field: 0}))
    other = score(replace(BASE, **{mentor_field: 0, mentee_field: 3}))
    both = score(replace(BASE, **{mentor_field: 1, mentee_field: 1}))
    assert none < one == other < both

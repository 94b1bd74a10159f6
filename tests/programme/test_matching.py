"""The matching round's rules, checked on many generated pools (property-based, hypothesis).

The solver's answers are checked against references written here, independently of it: the
rules for a single match restated plainly, every subset of matches tried (tiny pools), SciPy's
dense assignment over mentors expanded by capacity (larger ones), and the totals the solver
before it (our own successive shortest paths) reached on the benchmark's pools.
"""

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from bench.matching import generated_pool
from bot.programme.matching_rules import (
    MIN_OVERLAP_MINUTES,
    Candidate,
    Match,
    Role,
    candidate_matches,
    match_pool,
    total_score,
    working_overlap,
)

TOPICS = ("design", "career", "python", "leadership", "sales")
# More topics than one 64-bit mask holds.
MANY_TOPICS = tuple(f"topic-{n}" for n in range(70))
# Whole and half hours, as real timezones are (UTC-10 to UTC+12).
OFFSETS = st.integers(min_value=-20, max_value=24).map(lambda half_hours: half_hours * 30)
# A pool where many people are alike (one team in two offices): the solver groups them.
ALIKE_OFFSETS = st.sampled_from([0, 60])


@st.composite
def pools(
    draw, max_size: int = 12, topic_names=TOPICS, offsets=OFFSETS, roles=tuple(Role)
) -> list[Candidate]:
    size = draw(st.integers(min_value=0, max_value=max_size))
    keys = [f"U{n:03d}" for n in range(size)]
    topics = st.frozensets(st.sampled_from(topic_names), max_size=3)
    return [
        Candidate(
            key=key,
            role=draw(st.sampled_from(roles)),
            offers=draw(topics),
            seeks=draw(topics),
            capacity=draw(st.integers(min_value=0, max_value=3)),
            utc_offset_minutes=draw(offsets),
        )
        for key in keys
    ]


@st.composite
def pools_with_history(draw, max_size: int = 12, **kinds):
    pool = draw(pools(max_size, **kinds))
    keys = [c.key for c in pool]
    past = []
    if len(keys) >= 2:
        past = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=6))
    return pool, past


@given(pools_with_history(), st.integers(min_value=0, max_value=2**32))
def test_every_match_is_allowed_and_within_capacity(case, seed):
    pool, past = case
    by_key = {c.key: c for c in pool}
    matches = match_pool(pool, seed=seed, past_partners=past)
    mentees = Counter(m.mentee for m in matches)
    mentors = Counter(m.mentor for m in matches)
    assert all(count == 1 for count in mentees.values()), "a mentee got two mentors"
    for key, count in mentors.items():
        assert count <= by_key[key].capacity, "a mentor was given more than their capacity"
    pairs = [frozenset((m.mentor, m.mentee)) for m in matches]
    assert len(pairs) == len(set(pairs)), "two people were matched twice"
    past_pairs = {frozenset(p) for p in past}
    for match in matches:
        mentor, mentee = by_key[match.mentor], by_key[match.mentee]
        assert mentor.key != mentee.key
        assert frozenset((mentor.key, mentee.key)) not in past_pairs
        assert mentor.role in (Role.MENTOR, Role.EITHER)
        assert mentee.role in (Role.MENTEE, Role.EITHER)
        assert match.shared_topics and set(match.shared_topics) <= mentor.offers & mentee.seeks
        assert match.overlap_minutes >= MIN_OVERLAP_MINUTES
        assert match.overlap_minutes == working_overlap(
            mentor.utc_offset_minutes, mentee.utc_offset_minutes
        )


@given(pools_with_history(), st.integers(min_value=0, max_value=2**32), st.randoms())
def test_same_seed_same_matches_whatever_the_order(case, seed, shuffler):
    pool, past = case
    first = match_pool(pool, seed=seed, past_partners=past)
    shuffled = list(pool)
    shuffler.shuffle(shuffled)
    assert match_pool(shuffled, seed=seed, past_partners=past) == first
    assert match_pool(pool, seed=seed, past_partners=past) == first


def _allowed(pool, past) -> list[Match]:
    """Every acceptable match, by the module's rules restated one pair at a time."""
    refused = {frozenset(p) for p in past}
    best: dict[frozenset[str], Match] = {}
    for mentor in pool:
        for mentee in pool:
            if mentor.role == Role.MENTEE or mentor.capacity == 0 or mentee.role == Role.MENTOR:
                continue
            shared = mentor.offers & mentee.seeks
            overlap = working_overlap(mentor.utc_offset_minutes, mentee.utc_offset_minutes)
            two = frozenset((mentor.key, mentee.key))
            if mentor is mentee or two in refused or not shared or overlap < MIN_OVERLAP_MINUTES:
                continue
            match = Match(mentor.key, mentee.key, tuple(sorted(shared)), overlap)
            kept = best.get(two)  # the better direction; on a tie, the mentor first by key
            if kept is None or (match.score, kept.mentor) > (kept.score, match.mentor):
                best[two] = match
    return sorted(best.values(), key=lambda m: (m.mentor, m.mentee))


def _best_total_by_brute_force(pool, past) -> int:
    """The highest total any valid set of candidate matches reaches, by trying every subset."""
    by_key = {c.key: c for c in pool}
    options = _allowed(pool, past)
    best = 0
    for size in range(len(options) + 1):
        for subset in itertools.combinations(options, size):
            mentees = Counter(m.mentee for m in subset)
            mentors = Counter(m.mentor for m in subset)
            if any(n > 1 for n in mentees.values()):
                continue
            if any(n > by_key[k].capacity for k, n in mentors.items()):
                continue
            best = max(best, total_score(subset))
    return best


@settings(max_examples=150, deadline=None)
@given(pools_with_history(max_size=6), st.integers(min_value=0, max_value=2**32))
def test_no_other_set_of_matches_scores_higher(case, seed):
    pool, past = case
    if len(_allowed(pool, past)) > 12:
        return  # too many subsets to try; smaller pools cover the same logic
    assert total_score(match_pool(pool, seed=seed, past_partners=past)) == (
        _best_total_by_brute_force(pool, past)
    )


@given(pools_with_history(), st.integers(min_value=0, max_value=2**32))
def test_nobody_left_out_who_had_a_free_good_match(case, seed):
    pool, past = case
    by_key = {c.key: c for c in pool}
    matches = match_pool(pool, seed=seed, past_partners=past)
    taken = Counter(m.mentor for m in matches)
    mentored = {m.mentee for m in matches}
    matched = {frozenset((m.mentor, m.mentee)) for m in matches}
    for option in _allowed(pool, past):
        free_mentor = taken[option.mentor] < by_key[option.mentor].capacity
        if free_mentor and option.mentee not in mentored:
            assert frozenset((option.mentor, option.mentee)) in matched


def _best_total_by_assignment(pool, past) -> int:
    """The highest total, by SciPy's dense assignment: a row per unit of a mentor's capacity,
    a column per mentee, the score where a match is allowed and 0 (no match) elsewhere."""
    mentors = [c for c in pool if c.role != Role.MENTEE for _ in range(c.capacity)]
    mentees = sorted({c.key for c in pool if c.role != Role.MENTOR})
    scores = np.zeros((len(mentors), len(mentees)), dtype=np.int64)
    allowed = {(m.mentor, m.mentee): m.score for m in _allowed(pool, past)}
    for row, mentor in enumerate(mentors):
        for column, mentee in enumerate(mentees):
            scores[row, column] = allowed.get((mentor.key, mentee), 0)
    rows, columns = linear_sum_assignment(scores, maximize=True)
    return int(scores[rows, columns].sum())


@given(
    st.one_of(
        pools_with_history(),
        pools_with_history(max_size=8, topic_names=MANY_TOPICS),
        pools_with_history(max_size=30, topic_names=TOPICS[:2], offsets=ALIKE_OFFSETS),
    )
)
def test_candidate_matches_are_exactly_those_the_rules_allow(case):
    pool, past = case
    assert candidate_matches(pool, {frozenset(p) for p in past}) == _allowed(pool, past)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        pools_with_history(max_size=40),
        pools_with_history(max_size=60, topic_names=TOPICS[:2], offsets=ALIKE_OFFSETS),
        pools_with_history(
            max_size=60,
            topic_names=TOPICS[:3],
            offsets=ALIKE_OFFSETS,
            roles=(Role.MENTOR, Role.MENTEE),
        ),
    ),
    st.integers(min_value=0, max_value=2**32),
)
def test_the_total_is_the_assignment_optimum_on_larger_pools(case, seed):
    pool, past = case
    matches = match_pool(pool, seed=seed, past_partners=past)
    assert total_score(matches) == _best_total_by_assignment(pool, past)
    assert set(matches) <= set(_allowed(pool, past))
    by_key = {c.key: c for c in pool}
    assert max(Counter(m.mentee for m in matches).values(), default=0) <= 1
    assert all(n <= by_key[k].capacity for k, n in Counter(m.mentor for m in matches).items())


# The totals the successive-shortest-paths solver this one replaced reached on the benchmark's
# pools (`python -m bench matching` at commit fe748af): both are exact, so they must agree.
@pytest.mark.parametrize(("people", "total"), [(1_000, 1_011_290), (2_000, 2_148_260)])
def test_the_benchmark_pools_reach_the_previous_solver_s_optimum(people, total):
    assert total_score(match_pool(generated_pool(people), seed=0)) == total


def test_topics_come_before_timezones():
    mentee = Candidate("UMENTEE", Role.MENTEE, seeks=frozenset({"design", "career"}))
    near = Candidate("UNEAR", Role.MENTOR, offers=frozenset({"design"}), utc_offset_minutes=0)
    far = Candidate(
        "UFAR", Role.MENTOR, offers=frozenset({"design", "career"}), utc_offset_minutes=300
    )
    [match] = match_pool([mentee, near, far])
    assert (match.mentor, match.shared_topics, match.overlap_minutes) == (
        "UFAR",
        ("career", "design"),
        180,
    )


def test_closer_timezone_wins_when_topics_tie():
    mentee = Candidate("UMENTEE", Role.MENTEE, seeks=frozenset({"design"}), utc_offset_minutes=60)
    berlin = Candidate("UBERLIN", Role.MENTOR, offers=frozenset({"design"}), utc_offset_minutes=60)
    boston = Candidate(
        "UBOSTON", Role.MENTOR, offers=frozenset({"design"}), utc_offset_minutes=-300
    )
    assert [m.mentor for m in match_pool([boston, mentee, berlin])] == ["UBERLIN"]


def test_no_shared_working_hours_means_no_match():
    tokyo = Candidate("UTOKYO", Role.MENTOR, offers=frozenset({"design"}), utc_offset_minutes=540)
    london = Candidate("ULONDON", Role.MENTEE, seeks=frozenset({"design"}), utc_offset_minutes=0)
    assert working_overlap(540, 0) == 0
    assert match_pool([tokyo, london]) == []


def test_a_person_twice_in_the_pool_is_a_bug():
    person = Candidate("U1", Role.MENTOR)
    with pytest.raises(ValueError, match="U1"):
        match_pool([person, person])

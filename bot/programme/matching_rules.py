"""A matching round as a pure function: who could mentor whom, and the best set of matches.

A mentor and a mentee can be matched only when the mentor offers at least one topic the
mentee seeks, their working hours overlap by at least `MIN_OVERLAP_MINUTES` (hours and
style: bot/programme/hours_rules.py), they are two different people and they have never been
paired before. Among those candidate matches the
round picks the set with the greatest total score that keeps every mentor within their
capacity and gives every mentee at most one mentor. A match's score puts topic overlap first
(each shared topic is worth more than a whole day of overlapping hours) and closeness of
the minutes of working hours they share second. Working style comes last, as a tie-breaker
only: each preference two people share adds less to a round than one minute of overlap could
across every match in it (the flow's costs are the score times `style_scale` plus the shared
preferences), so it never changes the round's total of topics and hours, only which of the
equally good rounds is picked. Nobody is matched for the sake of it: a person with no good
candidate stays in the pool, unmatched.

The best set is found exactly, as a minimum-cost flow solved by OR-Tools (cost scaling), for
pools of tens of thousands of people. Two things keep that fast and small:
- candidate matches are found with numpy, a block of mentors against every mentee at a time:
  topic sets as bitmasks (shared topics are the bits two masks have in common) and working
  hours as windows on the UTC clock, never a Python loop over every mentor and mentee;
- people who are interchangeable (the same role, topics, hours and style, no history with anyone
  in the pool) are one node of the flow, with their capacities added up: a flow between groups
  is a set of matches between their members, whichever members they are. Someone who could be
  either mentor or mentee, or who was paired before, is a group of their own, so that the
  rules about two given people (never themselves, never again, never twice) can be applied.
The seed only decides between equally good answers (it orders the people, and so the flow's
nodes and arcs), and the result does not depend on the order the pool was given in.
"""

import random
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from bot.programme.candidate_rules import (
    MIN_OVERLAP_MINUTES,
    TOPIC_WEIGHT,
    Candidate,
    Match,
    Role,
    hours_overlap,
    match_score,
    working_overlap,
)
from bot.programme.hours_rules import DAY_MINUTES, overlap, shared_style, style_codes

__all__ = [
    "MIN_OVERLAP_MINUTES",
    "TOPIC_WEIGHT",
    "Candidate",
    "Match",
    "Role",
    "candidate_matches",
    "hours_overlap",
    "match_pool",
    "match_score",
    "total_score",
    "working_overlap",
]

# Mentor × mentee cells compared in one numpy block: ~100 MB of temporaries at most, whatever
# the pool's size (the matches found are kept, the comparisons are not).
BLOCK_CELLS = 4_000_000
BLOCK_ARCS = 1_000_000  # candidate matches handed to the solver at once, for the same reason


@dataclass(frozen=True)
class _Groups:
    """One side of the round (mentors or mentees), as groups of interchangeable people."""

    members: list[list[int]]  # positions in the round's list of people, in the round's order
    masks: NDArray[np.uint64]  # (groups, words): topics offered (mentors) or sought (mentees)
    starts: NDArray[np.int64]  # each group's working day: start on the UTC clock
    lengths: NDArray[np.int64]  # and length, in minutes
    styles: NDArray[np.int8]  # (groups, 3): working style (hours_rules.style_codes)
    sizes: NDArray[np.int64]  # capacity (mentors) or head count (mentees)
    alone: NDArray[np.int64]  # the one member of a group of its own, else -1


@dataclass(frozen=True)
class _Arcs:
    """The candidate matches between groups: mentor group, mentee group, score (times the
    round's style scale, plus the preferences they share)."""

    mentors: NDArray[np.int32]
    mentees: NDArray[np.int32]
    scores: NDArray[np.int64]


def _unique(pool: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for person in pool:
        if person.key in seen:
            raise ValueError(f"{person.key!r} is in the pool twice")
        seen[person.key] = person
    return [seen[key] for key in sorted(seen)]


def _group(
    people: list[Candidate],
    side: list[int],
    topics: list[frozenset[str]],
    sizes: list[int],
    alone: set[int],
    bits: dict[str, int],
) -> _Groups:
    """Gather one side's people (`side`, positions in `people`) into groups (see the module)."""
    words = max(1, -(-len(bits) // 64))
    found: dict[object, int] = {}
    members: list[list[int]] = []
    masks: list[list[int]] = []
    windows: list[tuple[int, int]] = []
    styles: list[tuple[int, int, int]] = []
    totals: list[int] = []
    loners: list[int] = []
    for position, person_topics, size in zip(side, topics, sizes, strict=True):
        mask = sum(1 << bits[topic] for topic in person_topics)
        words_of = [(mask >> (64 * word)) & (2**64 - 1) for word in range(words)]
        person = people[position]
        span, style = person.window, style_codes(person.style)
        key = ("alone", position) if position in alone else (mask, span, style)
        group = found.setdefault(key, len(members))
        if group == len(members):
            members.append([])
            masks.append(words_of)
            windows.append(span)
            styles.append(style)
            totals.append(0)
            loners.append(position if position in alone else -1)
        members[group].append(position)
        totals[group] += size
    return _Groups(
        members,
        np.array(masks, dtype=np.uint64).reshape(len(members), words),
        np.array([start for start, _ in windows], dtype=np.int64),
        np.array([length for _, length in windows], dtype=np.int64),
        np.array(styles, dtype=np.int8).reshape(len(members), 3),
        np.array(totals, dtype=np.int64),
        np.array(loners, dtype=np.int64),
    )


def _arcs(mentors: _Groups, mentees: _Groups, style_scale: int) -> _Arcs:
    """Every pair of groups whose members share a topic and enough working hours."""
    found_mentors, found_mentees, found_scores = [], [], []
    rows = max(1, BLOCK_CELLS // max(1, len(mentees.members)))
    lengths = np.unique(np.concatenate([mentors.lengths, mentees.lengths]))
    # Days as long as each other and at most half a day meet at most once round the clock.
    uniform = len(lengths) == 1 and lengths[0] <= DAY_MINUTES // 2
    for start in range(0, len(mentors.members), rows):
        block = slice(start, start + rows)
        shared = np.zeros((len(mentors.members[block]), len(mentees.members)), dtype=np.int64)
        for word in range(mentors.masks.shape[1]):
            common = mentors.masks[block, word, None] & mentees.masks[None, :, word]
            shared += np.bitwise_count(common)
        if uniform:  # everyone's day is as long: the overlap is that less how far apart
            apart = np.abs(mentors.starts[block, None] - mentees.starts[None, :]) % DAY_MINUTES
            hours = lengths[0] - np.minimum(apart, DAY_MINUTES - apart)
            mentor_at, mentee_at = np.nonzero((shared > 0) & (hours >= MIN_OVERLAP_MINUTES))
            shared_hours = hours[mentor_at, mentee_at]
        else:  # hours only where a topic is shared: most cells share none
            mentor_at, mentee_at = np.nonzero(shared)
            groups = mentor_at + start
            shared_hours = overlap(
                mentors.starts[groups],
                mentors.lengths[groups],
                mentees.starts[mentee_at],
                mentees.lengths[mentee_at],
            )
            fits = shared_hours >= MIN_OVERLAP_MINUTES
            mentor_at, mentee_at = mentor_at[fits], mentee_at[fits]
            shared_hours = shared_hours[fits]
        scores = TOPIC_WEIGHT * shared[mentor_at, mentee_at] + shared_hours
        if style_scale > 1:  # only when someone stated a style: the bench's pools skip this
            theirs = mentors.styles[mentor_at + start]
            ours = mentees.styles[mentee_at]
            agree = ((theirs == ours) & (theirs > 0)).sum(axis=1)
            scores = scores * style_scale + agree
        found_mentors.append((mentor_at + start).astype(np.int32))
        found_mentees.append(mentee_at.astype(np.int32))
        found_scores.append(scores)
    if not found_mentors:
        empty = np.zeros(0, dtype=np.int32)
        return _Arcs(empty, empty, np.zeros(0, dtype=np.int64))
    return _Arcs(
        np.concatenate(found_mentors), np.concatenate(found_mentees), np.concatenate(found_scores)
    )


def _allowed(
    arcs: _Arcs, mentors: _Groups, mentees: _Groups, people: list[Candidate], refused: set[int]
) -> _Arcs:
    """`arcs` less those two given people may not take: `refused` (past pairs, as positions
    `mentor * len(people) + mentee`), a person with themselves, and the worse direction of two
    people who could each mentor the other (on a tie, the one whose mentor comes first by key
    is kept). Only groups of their own are concerned, so each rule is a look-up of the few
    arcs it names in the sorted arcs, not a pass over all of them.
    """
    if not len(arcs.scores):
        return arcs
    count, width = len(people), len(mentees.members)
    codes = arcs.mentors.astype(np.int64) * width + arcs.mentees  # ascending, as _arcs made them
    group_as_mentor, group_as_mentee = np.full(count, -1), np.full(count, -1)
    for side, groups in ((mentors, group_as_mentor), (mentees, group_as_mentee)):
        alone = np.flatnonzero(side.alone >= 0)
        groups[side.alone[alone]] = alone

    def arcs_of(mentor: NDArray[np.int64], mentee: NDArray[np.int64]) -> NDArray[np.int64]:
        """Where the arc from `mentor` to `mentee` (positions) is in `arcs`, else -1."""
        code = group_as_mentor[mentor] * width + group_as_mentee[mentee]
        at = np.minimum(np.searchsorted(codes, code), len(codes) - 1)
        found = (group_as_mentor[mentor] >= 0) & (group_as_mentee[mentee] >= 0)
        return np.where(found & (codes[at] == code), at, -1)

    dropped = np.zeros(len(codes), dtype=bool)
    pairs = np.fromiter(refused, dtype=np.int64, count=len(refused))
    oneself = np.arange(count)
    for at in (arcs_of(pairs // count, pairs % count), arcs_of(oneself, oneself)):
        dropped[at[at >= 0]] = True
    # Two people who could each mentor the other: the worse of the two directions goes.
    mentor, mentee = mentors.alone[arcs.mentors], mentees.alone[arcs.mentees]
    two_way = np.zeros(count + 1, dtype=bool)  # the extra last entry stands for "-1", a group
    two_way[np.intersect1d(mentors.alone, mentees.alone)] = True
    two_way[-1] = False
    both = np.flatnonzero(two_way[mentor] & two_way[mentee] & ~dropped)
    back = arcs_of(mentee[both], mentor[both])
    rank = np.empty(count, dtype=np.int64)
    rank[np.argsort([person.key for person in people])] = np.arange(count)
    score, other = arcs.scores[both], arcs.scores[back]
    worse = (score < other) | ((score == other) & (rank[mentor[both]] > rank[mentee[both]]))
    dropped[both[(back >= 0) & ~dropped[back] & worse]] = True
    return _Arcs(arcs.mentors[~dropped], arcs.mentees[~dropped], arcs.scores[~dropped])


@dataclass(frozen=True)
class _Round:
    """A pool made ready for matching: its people in the round's order, and their groups."""

    people: list[Candidate]
    mentors: _Groups
    mentees: _Groups
    refused: set[int]  # past pairs, as positions `mentor * len(people) + mentee`
    # What a match's score is multiplied by before its shared preferences are added: more
    # than all the preferences a round could share (3 a mentee), so style only breaks ties.
    style_scale: int = 1

    def arcs(self) -> _Arcs:
        """The candidate matches between the groups."""
        found = _arcs(self.mentors, self.mentees, self.style_scale)
        return _allowed(found, self.mentors, self.mentees, self.people, self.refused)


def _prepare(
    pool: Iterable[Candidate], seed: int | None, past_partners: Iterable[Collection[str]]
) -> _Round:
    """The pool's people in the round's order (by key, then shuffled by `seed` when given),
    gathered into groups."""
    people = _unique(pool)
    if seed is not None:
        random.Random(seed).shuffle(people)  # the seed decides between equally good answers
    position = {person.key: at for at, person in enumerate(people)}
    past, history = set(), set()
    for partners in past_partners:
        keys = tuple(partners)
        a, b = position.get(keys[0]), position.get(keys[-1])
        if a is not None and b is not None:
            past |= {a * len(people) + b, b * len(people) + a}
            history |= {a, b}
    can_mentor = [at for at, person in enumerate(people) if person.can_mentor]
    mentored = [at for at, person in enumerate(people) if person.can_be_mentored]
    alone = history | (set(can_mentor) & set(mentored))
    topics = {topic for person in people for topic in person.offers | person.seeks}
    bits = {topic: bit for bit, topic in enumerate(sorted(topics))}
    mentors = _group(
        people,
        can_mentor,
        [people[at].offers for at in can_mentor],
        [people[at].capacity for at in can_mentor],
        alone,
        bits,
    )
    mentees = _group(
        people, mentored, [people[at].seeks for at in mentored], [1] * len(mentored), alone, bits
    )
    styled = any(any(person.style) for person in people)
    scale = 3 * len(mentored) + 1 if styled else 1
    return _Round(people, mentors, mentees, past, scale)


def _match(mentor: Candidate, mentee: Candidate, decided: bool = False) -> Match:
    return Match(
        mentor.key,
        mentee.key,
        tuple(sorted(mentor.offers & mentee.seeks)),
        hours_overlap(mentor, mentee),
        shared_style(mentor.style, mentee.style),
        decided,
    )


def candidate_matches(
    pool: Iterable[Candidate], past_partners: Iterable[Collection[str]] = ()
) -> list[Match]:
    """Every acceptable match in the pool, sorted by mentor then mentee; two people appear in
    one direction at most.

    Two people who could each mentor the other keep only the better direction (the one whose
    mentor comes first by key on a tie), so a round never pairs them twice. One Match per
    two people is for checking and small pools: a round itself works on groups.
    """
    found = _prepare(pool, None, past_partners)
    people, arcs = found.people, found.arcs()
    matches = [
        _match(people[mentor], people[mentee])
        for group, other in zip(arcs.mentors, arcs.mentees, strict=True)
        for mentor in found.mentors.members[group]
        for mentee in found.mentees.members[other]
    ]
    return sorted(matches, key=lambda m: (m.mentor, m.mentee))


def _style_decided(arcs: _Arcs, scale: int) -> NDArray[np.bool_]:
    """Per arc: whether the preferences it shares beat another mentor of its mentee's who is
    as good on topics and hours (the tie style broke)."""
    primary, agree = np.divmod(arcs.scores, scale)
    key = arcs.mentees.astype(np.int64) * (int(primary.max()) + 1) + primary
    _, inverse = np.unique(key, return_inverse=True)
    least = np.full(int(inverse.max()) + 1, 4, dtype=np.int64)
    np.minimum.at(least, inverse, agree)
    return agree > least[inverse]


def _best_flow(found: _Round) -> list[tuple[int, int, int, bool]]:
    """(mentor group, mentee group, matches, style decided) along each arc the best round
    uses.

    Source → mentor group (its capacity) → mentee group (minus the score) → sink (its head
    count), and one arc straight from source to sink at no cost for the mentees left
    unmatched: the cheapest flow is the round with the greatest total score. The candidate
    arcs go to the solver a block at a time and are let go before it runs: at 20,000 people
    they are millions, and the solver keeps its own copy.
    """
    mentors, mentees, arcs = found.mentors, found.mentees, found.arcs()
    candidates = len(arcs.scores)
    if not candidates:
        return []
    first_mentee = len(mentors.members)
    source = first_mentee + len(mentees.members)
    sink = source + 1
    demand = int(mentees.sizes.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    blocks = [slice(at, at + BLOCK_ARCS) for at in range(0, candidates, BLOCK_ARCS)]
    for block in blocks:  # numbered from 0 in the order added: arc n is arcs[n]
        flow.add_arcs_with_capacity_and_unit_cost(
            arcs.mentors[block],
            arcs.mentees[block] + first_mentee,
            np.minimum(mentors.sizes[arcs.mentors[block]], mentees.sizes[arcs.mentees[block]]),
            -arcs.scores[block],
        )
    decided = _style_decided(arcs, found.style_scale) if found.style_scale > 1 else None
    del arcs  # the solver has its own copy now
    mentor_nodes = np.arange(first_mentee, dtype=np.int32)
    mentee_nodes = np.arange(first_mentee, source, dtype=np.int32)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(first_mentee, source, dtype=np.int32), mentee_nodes, [source]]),
        np.concatenate([mentor_nodes, np.full(len(mentee_nodes), sink, dtype=np.int32), [sink]]),
        np.concatenate([mentors.sizes, mentees.sizes, [demand]]),
        np.zeros(first_mentee + len(mentee_nodes) + 1, dtype=np.int64),
    )
    flow.set_node_supply(source, demand)
    flow.set_node_supply(sink, -demand)
    status = flow.solve()
    if status != flow.OPTIMAL:  # the network always has a flow: a solver fault, not input
        raise RuntimeError(f"the matching flow was not solved ({status.name})")
    used = []
    for block in blocks:
        sent = flow.flows(np.arange(block.start, min(block.stop, candidates)))
        for at in np.flatnonzero(sent) + block.start:
            tie = bool(decided[at]) if decided is not None else False
            used.append(
                (flow.tail(at), flow.head(at) - first_mentee, int(sent[at - block.start]), tie)
            )
    return used


def match_pool(
    pool: Iterable[Candidate],
    seed: int = 0,
    past_partners: Iterable[Collection[str]] = (),
) -> list[Match]:
    """The best matches for a pool (see the module docstring), sorted by mentor then mentee.

    Raises ValueError when a key appears twice in the pool (a caller's bug, not user input).
    """
    found = _prepare(pool, seed, past_partners)
    people, mentors, mentees = found.people, found.mentors, found.mentees
    # A flow between two groups is that many matches between their members, whichever they
    # are: mentors are filled up to their capacity in the round's order, mentees one each.
    room = [people[at].capacity for at in range(len(people))]
    next_mentor = [0] * len(mentors.members)
    next_mentee = [0] * len(mentees.members)
    matches = []
    for group, other, count, decided in _best_flow(found):
        for _ in range(count):
            while room[mentors.members[group][next_mentor[group]]] == 0:
                next_mentor[group] += 1
            mentor = mentors.members[group][next_mentor[group]]
            mentee = mentees.members[other][next_mentee[other]]
            room[mentor] -= 1
            next_mentee[other] += 1
            matches.append(_match(people[mentor], people[mentee], decided))
    return sorted(matches, key=lambda m: (m.mentor, m.mentee))


def total_score(matches: Iterable[Match]) -> int:
    """The sum of the matches' scores (what a round maximises)."""
    return sum(match.score for match in matches)

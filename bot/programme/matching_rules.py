"""A matching round as a pure function: who could mentor whom, and the best set of matches.

A mentor and a mentee can be matched only when the mentor offers at least one topic the
mentee seeks, their working days overlap by at least `MIN_OVERLAP_MINUTES`, they are two
different people and they have never been paired before. Among those candidate matches the
round picks the set with the greatest total score that keeps every mentor within their
capacity and gives every mentee at most one mentor. A match's score puts topic overlap first
(each shared topic is worth more than a whole day of overlapping hours) and closeness of
timezones second. Nobody is matched for the sake of it: a person with no good candidate stays
in the pool, unmatched.

The best set is found exactly, as a maximum-weight flow (successive shortest paths, stopped as
soon as another match would lower the total). The seed only decides between equally good
answers, and the result does not depend on the order the pool was given in.
"""

import heapq
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

WORKDAY_MINUTES = 8 * 60  # everyone is assumed to work 09:00–17:00 in their own timezone
MIN_OVERLAP_MINUTES = 60  # less than an hour of shared working time is a poor match
TOPIC_WEIGHT = 1000  # > WORKDAY_MINUTES: one more shared topic beats any timezone gain
DAY_MINUTES = 24 * 60


class Role(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    EITHER = "either"


@dataclass(frozen=True)
class Candidate:
    """A person in the pool, as the round needs them."""

    key: str  # e.g. the Slack user id; unique in the pool
    role: Role
    offers: frozenset[str] = frozenset()  # topics they can help with (as a mentor)
    seeks: frozenset[str] = frozenset()  # topics they want help with (as a mentee)
    capacity: int = 1  # how many mentees they take on (as a mentor)
    utc_offset_minutes: int = 0  # their timezone's offset at the time of the round

    @property
    def can_mentor(self) -> bool:
        return self.role in (Role.MENTOR, Role.EITHER) and self.capacity > 0

    @property
    def can_be_mentored(self) -> bool:
        return self.role in (Role.MENTEE, Role.EITHER)


@dataclass(frozen=True)
class Match:
    """A proposed mentor → mentee match and why it was chosen."""

    mentor: str
    mentee: str
    shared_topics: tuple[str, ...]
    overlap_minutes: int

    @property
    def score(self) -> int:
        return match_score(len(self.shared_topics), self.overlap_minutes)


def match_score(shared_topics: int, overlap_minutes: int) -> int:
    """How good a match is: topics first, overlapping working time second."""
    return TOPIC_WEIGHT * shared_topics + overlap_minutes


def working_overlap(offset_a: int, offset_b: int) -> int:
    """Minutes two people's 09:00–17:00 working days share, from their UTC offsets."""
    apart = abs(offset_a - offset_b) % DAY_MINUTES
    apart = min(apart, DAY_MINUTES - apart)
    return max(0, WORKDAY_MINUTES - apart)


def _pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def candidate_match(
    mentor: Candidate, mentee: Candidate, past: set[frozenset[str]]
) -> Match | None:
    """The match of `mentor` with `mentee`, or None when it would be impossible or poor."""
    if mentor.key == mentee.key or not mentor.can_mentor or not mentee.can_be_mentored:
        return None
    if _pair_key(mentor.key, mentee.key) in past:
        return None
    shared = mentor.offers & mentee.seeks
    overlap = working_overlap(mentor.utc_offset_minutes, mentee.utc_offset_minutes)
    if not shared or overlap < MIN_OVERLAP_MINUTES:
        return None
    return Match(mentor.key, mentee.key, tuple(sorted(shared)), overlap)


def candidate_matches(pool: Sequence[Candidate], past: set[frozenset[str]]) -> list[Match]:
    """Every acceptable match in the pool; two people appear in one direction at most.

    Two people who could each mentor the other keep only the better direction (the one whose
    mentor comes first by key on a tie), so a round never pairs them twice.
    """
    best: dict[frozenset[str], Match] = {}
    mentees = [person for person in pool if person.can_be_mentored]
    for mentor in (person for person in pool if person.can_mentor):
        offers = mentor.offers
        for mentee in mentees:
            if offers.isdisjoint(mentee.seeks):  # the common case, checked cheaply first
                continue
            match = candidate_match(mentor, mentee, past)
            if match is None:
                continue
            key = _pair_key(match.mentor, match.mentee)
            kept = best.get(key)
            if kept is None or (match.score, kept.mentor) > (kept.score, match.mentor):
                best[key] = match
    return list(best.values())


def _unique(pool: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for person in pool:
        if person.key in seen:
            raise ValueError(f"{person.key!r} is in the pool twice")
        seen[person.key] = person
    return [seen[key] for key in sorted(seen)]


class _Flow:
    """A min-cost flow network with integer costs; edge `e ^ 1` is the reverse of edge `e`."""

    def __init__(self, nodes: int) -> None:
        self.graph: list[list[int]] = [[] for _ in range(nodes)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []

    def add(self, tail: int, head: int, capacity: int, cost: int) -> int:
        edge = len(self.to)
        self.graph[tail].append(edge)
        self.to.append(head)
        self.cap.append(capacity)
        self.cost.append(cost)
        self.graph[head].append(edge + 1)
        self.to.append(tail)
        self.cap.append(0)
        self.cost.append(-cost)
        return edge

    def cheapest_path(self, source: int, sink: int, potential: list[int]) -> list[int] | None:
        """Edges of the cheapest augmenting path (Dijkstra on reduced costs), or None.

        Updates `potential` to the new distances, so reduced costs stay non-negative.
        """
        unreached = 1 << 62
        dist = [unreached] * len(self.graph)
        via = [-1] * len(self.graph)
        dist[source] = 0
        heap = [(0, source)]
        while heap:
            d, node = heapq.heappop(heap)
            if d > dist[node]:
                continue
            for edge in self.graph[node]:
                if self.cap[edge] <= 0:
                    continue
                head = self.to[edge]
                reached = d + self.cost[edge] + potential[node] - potential[head]
                if reached < dist[head]:
                    dist[head] = reached
                    via[head] = edge
                    heapq.heappush(heap, (reached, head))
        if dist[sink] == unreached:
            return None
        for node, d in enumerate(dist):
            if d < unreached:
                potential[node] += d
        path, node = [], sink
        while node != source:
            edge = via[node]
            path.append(edge)
            node = self.to[edge ^ 1]
        return path

    def push_zero_paths(self, source: int, sink: int, potential: list[int]) -> int:
        """Send one unit along each augmenting path of zero reduced cost; how many were sent.

        After `cheapest_path` every such path is a cheapest one too, so a round takes them all
        for one Dijkstra (a phase of the primal-dual method) instead of one each. Like Dinic's
        blocking flow, an edge or node found useless is not looked at again in the phase: a
        path that only opens later is left to the next phase, never lost.
        """
        nodes = len(self.graph)
        index = [0] * nodes  # the next edge to try out of each node (its "current arc")
        dead = bytearray(nodes)  # nodes from which no such path leads to the sink
        sent = 0
        while True:
            on_path = bytearray(nodes)
            on_path[source] = 1
            stack, path = [source], []
            while stack and stack[-1] != sink:
                node = stack[-1]
                edges, position = self.graph[node], index[node]
                while position < len(edges):
                    edge = edges[position]
                    head = self.to[edge]
                    if (
                        self.cap[edge] > 0
                        and not dead[head]
                        and not on_path[head]
                        and self.cost[edge] + potential[node] - potential[head] == 0
                    ):
                        break
                    position += 1
                index[node] = position
                if position < len(edges):
                    head = self.to[edges[position]]
                    on_path[head] = 1
                    stack.append(head)
                    path.append(edges[position])
                else:
                    dead[node] = 1
                    on_path[node] = 0
                    stack.pop()
                    if path:
                        path.pop()
            if not stack:
                return sent
            self.push(path)
            sent += 1

    def push(self, path: list[int]) -> None:
        """Send one unit along `path`."""
        for edge in path:
            self.cap[edge] -= 1
            self.cap[edge ^ 1] += 1


def match_pool(
    pool: Iterable[Candidate],
    seed: int = 0,
    past_partners: Iterable[tuple[str, str]] = (),
) -> list[Match]:
    """The best matches for a pool (see the module docstring), sorted by mentor then mentee.

    Raises ValueError when a key appears twice in the pool (a caller's bug, not user input).
    """
    people = _unique(pool)
    random.Random(seed).shuffle(people)  # the seed decides between equally good answers
    past = {_pair_key(a, b) for a, b in past_partners}
    matches = candidate_matches(people, past)
    if not matches:
        return []
    index = {person.key: position for position, person in enumerate(people)}
    count = len(people)
    source, sink = 2 * count, 2 * count + 1
    flow = _Flow(2 * count + 2)
    for person in people:
        if person.can_mentor:
            flow.add(source, index[person.key], person.capacity, 0)
        if person.can_be_mentored:
            flow.add(count + index[person.key], sink, 1, 0)
    edges = [(flow.add(index[m.mentor], count + index[m.mentee], 1, -m.score), m) for m in matches]
    # Initial potentials: every path is source → mentor → mentee → sink, so the cheapest cost
    # to reach a mentee is the best score offered to them, and the sink the best of those.
    potential = [0] * (2 * count + 2)
    for match in matches:
        mentee_node = count + index[match.mentee]
        potential[mentee_node] = min(potential[mentee_node], -match.score)
    potential[sink] = min(potential[count : 2 * count], default=0)
    while True:
        path = flow.cheapest_path(source, sink, potential)
        # Path costs only grow; once one is not negative, no further match raises the total.
        if path is None or potential[sink] - potential[source] >= 0:
            break
        # Every path of zero reduced cost now costs the same as this cheapest one: take them
        # all before the next Dijkstra (scores take few values, so phases are few).
        flow.push(path)
        flow.push_zero_paths(source, sink, potential)
    chosen = [match for edge, match in edges if flow.cap[edge] == 0]
    return sorted(chosen, key=lambda m: (m.mentor, m.mentee))


def total_score(matches: Iterable[Match]) -> int:
    """The sum of the matches' scores (what a round maximises)."""
    return sum(match.score for match in matches)

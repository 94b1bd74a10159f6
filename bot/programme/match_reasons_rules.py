"""Why a round left someone unmatched, and who else could mentor a given mentee.

Both read the same rules as the round itself (bot/programme/matching_rules.py): a mentor
fits a mentee when they share a topic and at least `MIN_OVERLAP_MINUTES` of working hours.

- Unmatched people are told the first reason that holds, in this order: no mentor in the
  pool offers a topic they seek; mentors offer it, but none works hours that overlap theirs;
  mentors fit, but every one of them is full (or was their partner before). Someone who
  could only mentor and got no mentee is told nobody in the round sought what they offer
  within their hours. Found with numpy, a block of people at a time, like the round.
- Alternatives for one mentee (to swap their proposed mentor) are the fitting mentors with
  room left in the round, best first: topics, then hours, then working style.
"""

from collections.abc import Collection, Iterable, Mapping
from enum import StrEnum

import numpy as np

from bot.programme.hours_rules import overlap, shared_style
from bot.programme.matching_rules import (
    MIN_OVERLAP_MINUTES,
    Candidate,
    Match,
    hours_overlap,
    match_score,
)

BLOCK_CELLS = 4_000_000  # people × mentors compared at once, as in the round


class Unmatched(StrEnum):
    """Why someone was left unmatched."""

    NO_TOPIC = "no_topic"
    NO_HOURS = "no_hours"
    FULL = "full"
    NOT_SOUGHT = "not_sought"


def _topic_matrix(people: list[Candidate], topics: dict[str, int], offers: bool) -> np.ndarray:
    matrix = np.zeros((len(people), max(1, len(topics))), dtype=np.float32)
    for row, person in enumerate(people):
        for topic in person.offers if offers else person.seeks:
            matrix[row, topics[topic]] = 1
    return matrix


def unmatched_reasons(pool: Iterable[Candidate], matches: Iterable[Match]) -> dict[str, Unmatched]:
    """Everyone in `pool` that `matches` leaves out, with the reason they are told."""
    people = list(pool)
    matched = {key for match in matches for key in (match.mentor, match.mentee)}
    left = [person for person in people if person.key not in matched]
    seekers = [person for person in left if person.can_be_mentored]
    reasons = {person.key: Unmatched.NOT_SOUGHT for person in left if not person.can_be_mentored}
    mentors = [person for person in people if person.can_mentor]
    if not seekers:
        return reasons
    if not mentors:
        return reasons | {person.key: Unmatched.NO_TOPIC for person in seekers}
    topics = {t: n for n, t in enumerate(sorted({t for p in people for t in p.offers | p.seeks}))}
    offered = _topic_matrix(mentors, topics, offers=True).T
    mentor_keys = np.array([m.key for m in mentors])
    starts = np.array([m.window[0] for m in mentors])
    lengths = np.array([m.window[1] for m in mentors])
    rows = max(1, BLOCK_CELLS // len(mentors))
    for at in range(0, len(seekers), rows):
        block = seekers[at : at + rows]
        shared = _topic_matrix(block, topics, offers=False) @ offered > 0
        shared &= mentor_keys[None, :] != np.array([p.key for p in block])[:, None]
        hours = overlap(
            np.array([p.window[0] for p in block])[:, None],
            np.array([p.window[1] for p in block])[:, None],
            starts[None, :],
            lengths[None, :],
        )
        fits = (shared & (hours >= MIN_OVERLAP_MINUTES)).any(axis=1)
        any_topic = shared.any(axis=1)
        for person, topic, fit in zip(block, any_topic, fits, strict=True):
            reasons[person.key] = (
                Unmatched.FULL if fit else Unmatched.NO_HOURS if topic else Unmatched.NO_TOPIC
            )
    return reasons


def alternatives(
    mentee: Candidate,
    pool: Iterable[Candidate],
    room: Mapping[str, int],
    exclude: Collection[str] = (),
    limit: int = 3,
) -> list[Match]:
    """The best `limit` other mentors for `mentee`: fitting, with room left in the round
    (`room`: places left by key; absent means their whole capacity), not in `exclude` (the
    current mentor, past partners). Best first: topics, hours, style, then key."""
    found = []
    for mentor in pool:
        if not mentor.can_mentor or mentor.key == mentee.key or mentor.key in exclude:
            continue
        if room.get(mentor.key, mentor.capacity) <= 0:
            continue
        shared = tuple(sorted(mentor.offers & mentee.seeks))
        minutes = hours_overlap(mentor, mentee)
        if not shared or minutes < MIN_OVERLAP_MINUTES:
            continue
        style = shared_style(mentor.style, mentee.style)
        found.append(Match(mentor.key, mentee.key, shared, minutes, style))
    found.sort(
        key=lambda m: (
            -match_score(len(m.shared_topics), m.overlap_minutes),
            -len(m.same_style),
            m.mentor,
        )
    )
    return found[:limit]

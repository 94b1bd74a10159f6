"""Who takes part in a matching round and what a match is: the people as the round sees
them (role, topics, capacity, timezone, working hours, style) and a proposed match with its
reasons. The round itself is in bot/programme/matching_rules.py."""

from dataclasses import dataclass
from enum import StrEnum

from bot.programme.hours_rules import DEFAULT_HOURS, shared_minutes, window

MIN_OVERLAP_MINUTES = 60  # less than an hour of shared working time is a poor match
TOPIC_WEIGHT = 1000  # > the longest working day: one more shared topic beats any gain in hours


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
    hours: tuple[int, int] = DEFAULT_HOURS  # working hours, minutes after local midnight
    flexible: bool = False  # "I'm flexible on hours": 07:00–21:00 (hours_rules)
    style: tuple[str, ...] = ()  # working style, e.g. ("written", "", "gentle")

    @property
    def can_mentor(self) -> bool:
        return self.role in (Role.MENTOR, Role.EITHER) and self.capacity > 0

    @property
    def can_be_mentored(self) -> bool:
        return self.role in (Role.MENTEE, Role.EITHER)

    @property
    def window(self) -> tuple[int, int]:
        """(start on the UTC clock, length) of their working day."""
        return window(self.hours, self.flexible, self.utc_offset_minutes)


@dataclass(frozen=True)
class Match:
    """A proposed mentor → mentee match and why it was chosen."""

    mentor: str
    mentee: str
    shared_topics: tuple[str, ...]
    overlap_minutes: int
    same_style: tuple[str, ...] = ()  # preferences both stated the same way
    style_decided: bool = False  # it beat a mentor as good on topics and hours for the mentee

    @property
    def score(self) -> int:
        return match_score(len(self.shared_topics), self.overlap_minutes)


def match_score(shared_topics: int, overlap_minutes: int) -> int:
    """How good a match is: topics first, overlapping working time second."""
    return TOPIC_WEIGHT * shared_topics + overlap_minutes


def working_overlap(offset_a: int, offset_b: int) -> int:
    """Minutes two people's 09:00–17:00 working days share, from their UTC offsets."""
    a, b = window(DEFAULT_HOURS, False, offset_a), window(DEFAULT_HOURS, False, offset_b)
    return shared_minutes(*a, *b)


def hours_overlap(a: Candidate, b: Candidate) -> int:
    """Minutes two people's working hours share."""
    return shared_minutes(*a.window, *b.window)

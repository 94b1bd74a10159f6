"""Working hours and working style, as matching compares them.

Each person works a window of the day in their own timezone: 09:00–17:00 unless they said
otherwise when joining. Someone who ticked "I'm flexible on hours" is taken as available
07:00–21:00 in their timezone: a long day rather than "any time", so that a flexible person
in Tokyo is still not proposed a mentor whose whole day is their night. Two people's
overlap is the minutes their windows share, on the UTC clock, across midnight too.

Working style is three optional preferences (written or spoken, planned or spontaneous,
direct or gentle feedback). Two people agree on a preference when both stated it and chose
the same; it only ever breaks ties between otherwise equally good matches.
"""

from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

DAY_MINUTES = 24 * 60
DEFAULT_HOURS = (9 * 60, 17 * 60)
FLEXIBLE_HOURS = (7 * 60, 21 * 60)
# The longest working day matching counts (the join form refuses longer ones): below a shared
# topic's weight in a match's score, so hours never outweigh a topic.
LONGEST_DAY = 14 * 60
STYLE_CHOICES = (
    ("written", "spoken"),  # how they prefer to talk
    ("planned", "spontaneous"),  # how they like sessions to run
    ("direct", "gentle"),  # how they like feedback
)


def window(hours: tuple[int, int], flexible: bool, utc_offset_minutes: int) -> tuple[int, int]:
    """(start on the UTC clock in [0, 1440), length in minutes) of someone's working day."""
    start, end = FLEXIBLE_HOURS if flexible else hours
    length = min((end - start) % DAY_MINUTES or DAY_MINUTES, LONGEST_DAY)
    return (start - utc_offset_minutes) % DAY_MINUTES, length


def overlap(
    start_a: ArrayLike, length_a: ArrayLike, start_b: ArrayLike, length_b: ArrayLike
) -> NDArray[np.int64]:
    """Minutes two working windows share (element-wise over arrays that broadcast).

    Starts are in [0, 1440) and lengths at most a day. With B starting `ahead` minutes after
    A (round the clock), A's end overlaps B's start, and B's end (past midnight) overlaps
    A's start a day later: the two parts never count the same minutes."""
    a0, la = np.asarray(start_a, dtype=np.int64), np.asarray(length_a, dtype=np.int64)
    b0, lb = np.asarray(start_b, dtype=np.int64), np.asarray(length_b, dtype=np.int64)
    ahead = (b0 - a0) % DAY_MINUTES
    first = np.maximum(0, np.minimum(la - ahead, lb))
    return first + np.maximum(0, np.minimum(lb - (DAY_MINUTES - ahead), la))


def shared_minutes(start_a: int, length_a: int, start_b: int, length_b: int) -> int:
    """`overlap` for two windows, in plain Python (one match at a time, thousands a round)."""
    ahead = (start_b - start_a) % DAY_MINUTES
    first = max(0, min(length_a - ahead, length_b))
    return first + max(0, min(length_b - (DAY_MINUTES - ahead), length_a))


@cache
def style_codes(style: tuple[str, ...]) -> tuple[int, int, int]:
    """A style as numbers (0 not said, 1 the first choice, 2 the second), for numpy."""
    codes = []
    for choices, said in zip(STYLE_CHOICES, (*style, "", "", "")[:3], strict=True):
        codes.append(choices.index(said) + 1 if said in choices else 0)
    return codes[0], codes[1], codes[2]


def shared_style(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """The preferences two people both stated the same way."""
    return tuple(x for x, y in zip(a, b, strict=False) if x and x == y)

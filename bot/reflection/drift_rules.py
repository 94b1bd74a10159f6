"""Cadence drift: the rhythm a pair lives against the one its charter agreed, in numbers.

What is compared: the meetings the charter called for (the series' occurrences; the ones a
pause or a change of charter cancelled are not expected, so a pause never counts against a
pair) with the meetings the pair had (marked met, or logged off the schedule).

The window is the last `window_size` expected meetings that have passed (with a day's grace
for "did you meet?" to be answered): eight weeks' worth, and never fewer than
`MIN_EXPECTED`, so 8 on a weekly charter, 4 every two weeks, 4 monthly. Meetings held are
counted from half a step before the window's first expected meeting to half a step after its
last (a meeting moved by a day or two still counts for its week). Until the series has had
that many expected meetings there is not enough evidence, and nothing is said.

"Clearly different": at most `LOW` or at least `HIGH` meetings held per meeting agreed
(every other week on a weekly charter is 0.5; weekly on a fortnightly one is 2), and at
least `MIN_HELD` meetings held: with none or one, the pair has gone quiet, which is a
lapse (bot/meetings/lapse.py) rather than a rhythm.

The lived rhythm is the window's span (expected meetings × the charter's step) divided by
the meetings held, named in the charter's own words where one fits.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.reflection.rhythm_rules import CADENCE_PERIODS, cadence_period

WINDOW_SPAN = timedelta(weeks=8)
MIN_EXPECTED = 4
MIN_HELD = 2
LOW, HIGH = 0.6, 1.6
ANSWER_GRACE = timedelta(days=1)
# The charter's cadences in words, as the pair chose them.
CADENCE_WORDS = {"weekly": "weekly", "biweekly": "every 2 weeks", "monthly": "monthly"}
DAYS_A_MONTH = 30.44


def window_size(cadence: str) -> int:
    """How many expected meetings the window holds for `cadence`."""
    return max(MIN_EXPECTED, WINDOW_SPAN // cadence_period(cadence))


@dataclass(frozen=True)
class Drift:
    """What was seen: the charter's cadence, the meetings it called for in the window, and
    the meetings held in it."""

    cadence: str
    expected: int
    met: int

    @property
    def span(self) -> timedelta:
        """How long the window is (its expected meetings times the charter's step)."""
        return self.expected * cadence_period(self.cadence)

    @property
    def lived_days(self) -> float:
        """Days between meetings, as lived."""
        return self.span / timedelta(days=1) / self.met

    def agreed_words(self) -> str:
        """The agreed rhythm: "weekly", "every 2 weeks", "monthly"."""
        return CADENCE_WORDS.get(self.cadence, self.cadence)

    def lived_words(self) -> str:
        """The lived rhythm: "twice a week", "weekly", "every 2 weeks", "every 3 months"..."""
        return rhythm_words(self.lived_days)

    def span_words(self) -> str:
        """The window in words: "8 weeks", "4 months"."""
        days = self.span.days
        if days % 7 == 0 and days <= 7 * 12:
            return f"{days // 7} weeks"
        return f"{round(days / DAYS_A_MONTH)} months"

    def suggested_cadence(self) -> str | None:
        """The charter cadence nearest the lived rhythm, when it is not the agreed one."""
        nearest = min(
            CADENCE_PERIODS,
            key=lambda c: abs(math.log(self.lived_days / (CADENCE_PERIODS[c].days or 1))),
        )
        return None if nearest == self.cadence else nearest


def rhythm_words(days: float) -> str:
    """A gap of `days` between meetings in words."""
    weeks = days / 7
    if weeks < 0.75:
        times = max(2, round(7 / days))
        return "twice a week" if times == 2 else f"{times} times a week"
    if weeks < 1.5:
        return "weekly"
    if weeks < 3.5:
        return f"every {round(weeks)} weeks"
    months = round(days / DAYS_A_MONTH)
    return "monthly" if months <= 1 else f"every {months} months"


def detect_drift(
    cadence: str, expected: Iterable[datetime], held: Iterable[datetime], now: datetime
) -> Drift | None:
    """The drift seen at `now`, or None (meeting as agreed, or not enough evidence yet).

    `expected`: the instants of the meetings the charter's current rhythm called for since
    it began, without those a pause or a change cancelled; `held`: when the pair met.
    """
    if cadence not in CADENCE_PERIODS:
        return None
    size = window_size(cadence)
    passed = sorted(at for at in expected if at + ANSWER_GRACE <= now)
    if len(passed) < size:
        return None
    window = passed[-size:]
    half = cadence_period(cadence) / 2
    start, end = window[0] - half, window[-1] + half
    met = sum(1 for at in held if start <= at < end)
    if met < MIN_HELD or LOW * size < met < HIGH * size:
        return None
    return Drift(cadence, size, met)

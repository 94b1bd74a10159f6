"""Cadence drift on generated meeting histories: as agreed is never flagged; half or double
the rhythm is, within two expected meetings of the window filling; pauses and thin evidence
never count against a pair."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reflection.drift_rules import ANSWER_GRACE, Drift, detect_drift, window_size

START = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
STEPS = {"weekly": timedelta(weeks=1), "biweekly": timedelta(weeks=2)}


def occurrence(cadence: str, k: int) -> datetime:
    """The k-th occurrence of a series on `cadence` (months by the calendar, as RRULEs do)."""
    if cadence == "monthly":
        return START + relativedelta(months=k)
    return START + k * STEPS[cadence]


@dataclass
class History:
    cadence: str
    expected: list[datetime]  # what the charter called for, a pause's occurrences left out
    held: list[datetime]
    paused: set[int]  # indexes of the occurrences the pause cancelled

    def evaluations(self) -> list[datetime]:
        """An instant just past each expected meeting's grace, and one between each two."""
        times = []
        for at in self.expected:
            times += [at + ANSWER_GRACE, at + ANSWER_GRACE + timedelta(days=2)]
        return times


@st.composite
def histories(draw: st.DrawFn, rhythm: str, pause: bool | None = None) -> History:
    """A pair's history over 10 to 24 occurrences: `rhythm` is "agreed", "half" or "double";
    with a pause of 1 to 6 occurrences when `pause` (maybe, when None)."""
    cadence = draw(st.sampled_from(["weekly", "biweekly", "monthly"]))
    count = draw(st.integers(10, 24))
    paused: set[int] = set()
    if pause or (pause is None and draw(st.booleans())):
        first = draw(st.integers(1, count - 2))
        paused = set(range(first, min(count, first + draw(st.integers(1, 6)))))
    kept = [k for k in range(count) if k not in paused]
    jitter = st.integers(-36, 36).map(lambda hours: timedelta(hours=hours))
    held: list[datetime] = []
    if rhythm == "agreed":
        skipped = draw(st.sets(st.sampled_from(kept), max_size=1))
        held = [occurrence(cadence, k) + draw(jitter) for k in kept if k not in skipped]
        if draw(st.booleans()):  # one extra meeting, off the schedule
            k = draw(st.sampled_from(kept))
            held.append(occurrence(cadence, k) + timedelta(days=3))
    elif rhythm == "half":
        phase = draw(st.integers(0, 1))
        held = [occurrence(cadence, k) + draw(jitter) for i, k in enumerate(kept) if i % 2 == phase]
    else:
        for k in kept:
            at = occurrence(cadence, k)
            middle = (occurrence(cadence, k + 1) - at) / 2
            held += [at + draw(jitter), at + middle + draw(jitter)]
    expected = [occurrence(cadence, k) for k in kept]
    return History(cadence, expected, held, paused)


@settings(max_examples=300, deadline=None)
@given(histories("agreed"))
def test_a_pair_that_meets_as_agreed_is_never_flagged(history: History) -> None:
    for now in history.evaluations():
        assert detect_drift(history.cadence, history.expected, history.held, now) is None, now


def _first_flag(history: History) -> int | None:
    """How many expected meetings had passed when drift was first seen."""
    for index, at in enumerate(history.expected):
        now = at + ANSWER_GRACE
        if detect_drift(history.cadence, history.expected, history.held, now) is not None:
            return index + 1
    return None


@settings(max_examples=200, deadline=None)
@given(histories("half"), st.data())
def test_half_the_rhythm_is_flagged_within_two_meetings_of_the_window_filling(
    history: History, data: st.DataObject
) -> None:
    size = window_size(history.cadence)
    if len(history.expected) < size + 2:
        return  # the pause took too much of the history to fill a window and two more
    seen = _first_flag(history)
    assert seen is not None and size <= seen <= size + 2
    drift = detect_drift(
        history.cadence, history.expected, history.held, history.expected[seen - 1] + ANSWER_GRACE
    )
    assert drift is not None and drift.met * 2 <= drift.expected + 1


@settings(max_examples=200, deadline=None)
@given(histories("double"))
def test_double_the_rhythm_is_flagged_within_two_meetings_of_the_window_filling(
    history: History,
) -> None:
    size = window_size(history.cadence)
    if len(history.expected) < size + 2:
        return
    seen = _first_flag(history)
    assert seen is not None and size <= seen <= size + 2


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["agreed", "half", "double"]).flatmap(histories))
def test_never_before_enough_evidence(history: History) -> None:
    size = window_size(history.cadence)
    for now in history.evaluations():
        if sum(1 for at in history.expected if at + ANSWER_GRACE <= now) < size:
            assert detect_drift(history.cadence, history.expected, history.held, now) is None


@settings(max_examples=200, deadline=None)
@given(histories("agreed", pause=True))
def test_the_meetings_a_pause_cancelled_never_count_as_missed(history: History) -> None:
    # Looked at during the pause and after it, up to six missed weeks or months in a row.
    evaluations = history.evaluations()
    evaluations += [occurrence(history.cadence, k) + ANSWER_GRACE for k in history.paused]
    for now in evaluations:
        assert detect_drift(history.cadence, history.expected, history.held, now) is None


def test_every_other_week_on_a_weekly_charter_reads_in_numbers() -> None:
    expected = [occurrence("weekly", k) for k in range(8)]
    held = expected[::2]
    drift = detect_drift("weekly", expected, held, expected[-1] + timedelta(days=2))
    assert drift == Drift("weekly", 8, 4)
    assert (drift.agreed_words(), drift.span_words(), drift.lived_words()) == (
        "weekly",
        "8 weeks",
        "every 2 weeks",
    )
    assert drift.suggested_cadence() == "biweekly"


def test_weekly_on_a_monthly_charter_suggests_weekly() -> None:
    expected = [occurrence("monthly", k) for k in range(4)]
    held = [START + timedelta(weeks=w) for w in range(-2, 16)]
    drift = detect_drift("monthly", expected, held, expected[-1] + timedelta(days=2))
    assert drift is not None
    assert (drift.span_words(), drift.lived_words(), drift.suggested_cadence()) == (
        "4 months",
        "weekly",
        "weekly",
    )


def test_twice_a_week_on_a_weekly_charter_has_no_cadence_to_offer() -> None:
    expected = [occurrence("weekly", k) for k in range(8)]
    held = [at + timedelta(days=d) for at in expected for d in (0, 3)]
    drift = detect_drift("weekly", expected, held, expected[-1] + timedelta(days=2))
    assert drift is not None
    assert (drift.lived_words(), drift.suggested_cadence()) == ("twice a week", None)


def test_a_quiet_pair_is_a_lapse_not_a_drift() -> None:
    expected = [occurrence("weekly", k) for k in range(8)]
    assert detect_drift("weekly", expected, expected[:1], expected[-1] + timedelta(days=2)) is None

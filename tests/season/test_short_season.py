"""A short season played through the real app (bench/season_*.py): what issue 17 made true.

Five pairs (a diligent pair, a pair that never answers, and one mentor in three pairs meeting
on the same Monday) live eight weeks against the emulator, the clock moving in steps of 15 to
60 minutes. Targets not yet reached are reported by `python -m bench season`, not asserted.
"""

import fcntl
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bench.season_cast import SHORT_CAST
from bench.season_figures import Figures, measure
from bench.season_run import played_season

WEEKS = 8
# The first test of a backend plays its season (or waits for the worker playing it) before it
# starts: more than pytest's usual 120 s on a two-core machine under a full run's load.
pytestmark = pytest.mark.timeout(300)


# One season per backend, however many tests read its figures, and however many pytest-xdist
# workers run them: a season is seconds of CPU (20 to 40 s on a loaded two-core machine), so the
# first worker to need it plays it and leaves its figures for the others of the same run.
_PLAYED: dict[str, Figures] = {}


@contextmanager
def _shared_with_other_workers(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | None]:
    """The file a run's workers share this backend's figures through (in the run's temporary
    directory, above each worker's own), held by this worker alone meanwhile (None outside
    pytest-xdist)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        yield None
        return
    path = tmp_path_factory.getbasetemp().parent / f"season-{backend}.pickle"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def season(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Figures:
    """The figures of the short season on this test's backend."""
    backend = make_url(database_url).get_backend_name()
    if backend not in _PLAYED:
        with _shared_with_other_workers(backend, tmp_path_factory) as shared:
            if shared is not None and shared.exists():
                _PLAYED[backend] = pickle.loads(shared.read_bytes())
            else:
                with played_season(database_url, SHORT_CAST, WEEKS) as played:
                    _PLAYED[backend] = measure(played)
                if shared is not None:
                    shared.write_bytes(pickle.dumps(_PLAYED[backend]))
    return _PLAYED[backend]


def test_a_short_season_loses_nothing_time_critical_and_keeps_quiet_hours(
    season: Figures,
) -> None:
    assert season.lost_total == 0, season.lost_detail
    assert season.quiet == []


def test_lapses_count_from_the_first_meeting_and_go_on_while_the_pair_stays_quiet(
    season: Figures,
) -> None:
    assert season.lapse_false_alarms == 0, season.lapses
    assert "diligent" not in season.lapse_pairs
    # The pair that never answers: nudged at 2x and 4x its weekly cadence, admins from 4x.
    assert season.lapse_counts[("ghost", "pair")] == 2, season.lapses
    assert season.lapse_counts[("ghost", "admin")] == 1, season.lapses


def test_did_you_meet_is_asked_again_only_where_nobody_answered_and_no_drift_alarm(
    season: Figures,
) -> None:
    # Diligent pairs answer the first question; the pair that never answers is asked again
    # after its first meeting only (after that, its lapse nudges speak to it).
    assert season.reasks == {"ghost": 1}, season.reasks
    assert season.drift == []  # nobody in the short cast drifts from their charter's rhythm


def test_nobody_is_congratulated_on_months_before_their_first_meeting(season: Figures) -> None:
    assert season.anniversaries == []
    assert "reflection.review" not in season.by_kind  # the first review is months away too


def test_a_weekly_pairs_member_gets_at_most_two_and_a_half_messages_a_meeting_week(
    season: Figures,
) -> None:
    # One reminder by default, "did you meet?" once in the group DM (a post there counts for
    # each of its two readers), and their share of prompts, counted from the first meeting;
    # the mentor in three pairs gets his prompts as one message.
    weekly = {name: n for name, n in season.per_person.items() if name != "max"}
    assert max(weekly.values()) <= 2.5, season.per_person
    assert season.person("max") <= 7, season.per_person


def test_a_reminder_for_the_monday_after_the_season_is_not_counted_in_it(
    season: Figures,
) -> None:
    # The season ends on a Monday at 00:00 UTC: the day-before reminders sent on its last
    # Sunday are about meetings in a week it does not count, so they count toward no week.
    assert set(season.left_out) == {"meeting.reminder"}, season.left_out
    assert season.left_out["meeting.reminder"] > 0

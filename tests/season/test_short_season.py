"""A short season played through the real app (bench/season_*.py): what issue 17 made true.

Five pairs (a diligent pair, a pair that never answers, and one mentor in three pairs meeting
on the same Monday) live six weeks against the emulator, the clock moving in steps of 15 to
60 minutes. Targets not yet reached are reported by `python -m bench season`, not asserted.
"""

import pytest

from bench.season_cast import SHORT_CAST
from bench.season_figures import Figures, measure
from bench.season_run import played_season

WEEKS = 6


@pytest.fixture
def season(database_url: str) -> Figures:
    """The figures of the short season on this test's database."""
    with played_season(database_url, SHORT_CAST, WEEKS) as played:
        return measure(played)


def test_a_short_season_loses_nothing_time_critical_and_keeps_quiet_hours(
    season: Figures,
) -> None:
    assert season.lost_total == 0, season.lost_detail
    assert season.quiet == []

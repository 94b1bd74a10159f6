"""Launch day, small: 40 proposals accepted by both sides at once over signed HTTP, against
Slack's tiers (bench/launch.py, which runs the same with 500): every pair gets one group DM
and one welcome, within conversations.open's 50 a minute, and every click is acknowledged in
time."""

from bench.launch import TIER_3_PER_MINUTE, measure


def test_forty_pairs_accepted_at_once_all_get_one_home_and_one_welcome(database_url: str) -> None:
    figures = measure(database_url, pairs=40, concurrency=20)
    assert figures.failed_clicks == 0 and figures.clicks == 80
    assert figures.active == 40
    assert figures.lost == 0 and figures.duplicated == 0
    assert figures.homes == figures.distinct_homes == 40 and figures.welcomes == 40
    assert figures.most_opens_a_minute <= TIER_3_PER_MINUTE
    assert max(figures.ack_ms) < 3000  # Slack gives up at 3 s


def test_more_pairs_than_a_minute_of_group_dms_wait_for_the_next_minutes(
    database_url: str,
) -> None:
    figures = measure(database_url, pairs=60, concurrency=20)
    assert figures.lost == 0 and figures.duplicated == 0 and figures.homes == 60
    assert figures.most_opens_a_minute <= TIER_3_PER_MINUTE
    # Fifty opened as the clicks came, the last ten a minute later, when Slack allowed.
    assert figures.homes_at_clicks == TIER_3_PER_MINUTE and figures.minutes_to_homes == 1

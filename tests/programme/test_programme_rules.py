"""The pure programme rules: at-risk reasons and order, trends and sparklines, feedback themes."""

from datetime import UTC, datetime, timedelta

from bot.programme.risk_rules import PairFacts, rank_at_risk, reasons_for
from bot.programme.theme_rules import (
    K_ANONYMITY,
    SOMEONE,
    FeedbackEntry,
    anonymise,
    cohort_feedback,
    name_words,
)
from bot.programme.trend_rules import PairMonth, cohort_trends, last_months, sparkline

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
WEEK = timedelta(weeks=1)


def facts(pair_id: int, **values) -> PairFacts:
    base = {
        "status": "active",
        "started_at": NOW - 20 * WEEK,
        "cadence": 2 * WEEK,
        "last_met_at": NOW - WEEK,
        "charter_versions": 1,
        "charter_signed": True,
    }
    base.update(values)
    return PairFacts(pair_id=pair_id, **base)


def test_a_healthy_pair_and_a_paused_one_are_not_at_risk():
    assert reasons_for(facts(1, health=80), NOW) == ()
    assert reasons_for(facts(2, status="paused", last_met_at=NOW - 30 * WEEK), NOW) == ()


def test_each_reason_with_its_words():
    lapsed = reasons_for(facts(1, last_met_at=NOW - 6 * WEEK), NOW)
    assert [r.text for r in lapsed] == [
        "No meeting logged for 42 days (3 cadences; they meet every 2 weeks)"
    ]
    everything = reasons_for(
        facts(
            2,
            last_met_at=None,
            started_at=NOW - 5 * WEEK,
            charter_versions=0,
            charter_signed=False,
            review_opened_at=NOW - 10 * timedelta(days=1),
            review_answers=1,
            health=15,
        ),
        NOW,
    )
    assert [(r.code, r.text) for r in everything] == [
        (
            "lapsed",
            "No meeting logged since starting 35 days ago (2 cadences; they meet every 2 weeks)",
        ),
        ("health", "Health 15/100 (below 40)"),
        ("charter", "No charter written, 35 days after starting"),
        ("review", "Review opened 10 days ago: 1 of 2 answered"),
    ]
    proposal = reasons_for(
        facts(
            3, status="proposed", started_at=NOW - 8 * timedelta(days=1), waiting_for=("mentee",)
        ),
        NOW,
    )
    assert [r.text for r in proposal] == ["Proposal unanswered for 8 days (waiting for the mentee)"]
    fresh = facts(4, status="proposed", started_at=NOW - 6 * timedelta(days=1))
    assert reasons_for(fresh, NOW) == ()


def test_a_missing_charter_is_at_risk_only_after_the_day_10_nudge():
    day = timedelta(days=1)
    unwritten = {"charter_versions": 0, "charter_signed": False, "last_met_at": None}
    for days in (7, 10, 10.9):
        assert reasons_for(facts(1, started_at=NOW - days * day, **unwritten), NOW) == ()
    [late] = reasons_for(facts(1, started_at=NOW - 11 * day, **unwritten), NOW)
    assert (late.code, late.text) == ("charter", "No charter written, 11 days after starting")


def test_worst_first_then_longest_standing():
    pairs = [
        facts(1, health=35),  # 2
        facts(2, last_met_at=NOW - 10 * WEEK),  # lapsed 5 cadences: 6
        facts(3, health=35, last_met_at=NOW - 4 * WEEK),  # 3 + 2
        facts(4, health=30),  # 2, same as pair 1: tie broken by since, then id
        facts(5, health=90),
    ]
    ranked = rank_at_risk(pairs, NOW)
    assert [(r.pair_id, r.severity) for r in ranked] == [(2, 6), (3, 5), (1, 2), (4, 2)]


def test_last_months_and_sparklines():
    assert last_months(datetime(2026, 2, 3, tzinfo=UTC)) == [
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert sparkline([0.0, 0.5, 1.0, None, 0.99]) == "▁▅█·█"
    assert sparkline([0, 50, 100], high=100) == "▁▅█"


def test_trends_per_cohort_and_month():
    months = ["2026-05", "2026-06"]
    rows = [
        PairMonth(1, "Spring", "2026-05", meetings_due=2, meetings_met=2, goals_completed=1),
        PairMonth(2, "Spring", "2026-05", meetings_due=2, meetings_met=0),
        PairMonth(1, "Spring", "2026-06", meetings_due=2, meetings_met=1, review_scores=(5, 5)),
        PairMonth(3, None, "2026-06", goals_completed=2),
        PairMonth(3, None, "2025-01", goals_completed=9),  # outside the window
    ]
    spring, loose = cohort_trends(rows, months)
    assert spring.cohort == "Spring" and loose.cohort is None
    assert spring.meeting_rate == [0.5, 0.5]
    assert spring.goals_completed == [1, 0]
    # May: pair 1 met 2/2 (100), pair 2 met 0/2 (0); June: meetings 1/2 and reviews 5/5.
    assert spring.average_health == [50.0, round(100 * (40 * 0.5 + 25 * 1.0) / 65)]
    assert loose.meeting_rate == [None, None]
    assert loose.goals_completed == [0, 2]
    assert loose.average_health == [None, None]


def test_feedback_shows_only_a_count_below_k():
    entries = [FeedbackEntry("support", f"entry {n}", "2026-05") for n in range(K_ANONYMITY - 1)]
    view = cohort_feedback("Spring", entries, set(), authors=K_ANONYMITY - 1)
    assert (view.count, view.shown, view.themes) == (K_ANONYMITY - 1, False, ())


def test_feedback_from_fewer_than_k_people_shows_only_a_count_however_many_entries():
    entries = [FeedbackEntry("support", f"entry {n}", "2026-05") for n in range(3 * K_ANONYMITY)]
    view = cohort_feedback("Spring", entries, set(), authors=K_ANONYMITY - 1)
    assert (view.count, view.shown, view.themes) == (3 * K_ANONYMITY, False, ())


def test_feedback_themes_are_grouped_by_kind_and_scrubbed_of_people():
    names = name_words(["Maya Schmidt", "noah"])
    entries = [
        FeedbackEntry("support", "Maya could send the agenda earlier", "2026-05"),
        FeedbackEntry("support", "More time for <@U0NOAH> questions", "2026-04"),
        FeedbackEntry("applied", "Tried SCHMIDT's advice; write to noah@example.com", "2026-05"),
        FeedbackEntry("general", "Great programme", "2026-05"),
        FeedbackEntry("general", "Noah is thriving", "2026-06"),
    ]
    view = cohort_feedback("Spring", entries, names, authors=len(entries))
    assert view.shown
    assert [(t.kind, t.entries) for t in view.themes] == [
        (
            "support",
            (
                ("2026-04", f"More time for {SOMEONE} questions"),
                ("2026-05", f"{SOMEONE} could send the agenda earlier"),
            ),
        ),
        ("applied", (("2026-05", f"Tried {SOMEONE}'s advice; write to {SOMEONE}"),)),
        ("general", (("2026-05", "Great programme"), ("2026-06", f"{SOMEONE} is thriving"))),
    ]
    assert anonymise("x" * 500, set()).endswith("…")

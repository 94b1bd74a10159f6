"""The question bank: its file is sound and shipped, and the rule picks and rotates well."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from bot.meetings.question_bank import BANK_FILE, parse_bank, question_bank
from bot.meetings.question_rules import (
    GENERAL,
    STAGES,
    Question,
    areas_of,
    bank_problems,
    candidates,
    next_question,
)

ROOT = Path(__file__).resolve().parents[2]
FOCUS = ["system design", "stakeholders", "career"]


def test_the_bank_holds_at_least_forty_sound_questions_for_every_stage() -> None:
    bank = question_bank()
    assert bank_problems(bank) == []
    assert len(bank) >= 40
    assert len({q.id for q in bank}) == len(bank)
    for stage in STAGES:
        staged = [q for q in bank if q.stage == stage]
        assert len(staged) >= 10, stage
        assert sum(q.area == GENERAL for q in staged) >= 3, stage  # any pair gets some
        assert {q.kind for q in staged} == {"question", "frame"}, stage


def test_a_broken_bank_is_told_apart_entry_by_entry() -> None:
    broken = parse_bank(
        """
        [[question]]
        id = "x-1"
        stage = "skill_building"
        area = "craft"
        text = "What did you learn?"
        [[question]]
        id = "x-1"
        stage = "senior"
        area = "astrology"
        kind = "lecture"
        text = "What  did you learn?"
        [[question]]
        id = "x-2"
        stage = "career_strategy"
        area = "career"
        text = "Tell me about your week."
        """
    )
    problems = bank_problems(broken)
    assert "x-1: the id is used twice" in problems
    assert "x-1: the same text as another question" in problems
    assert "x-1: unknown stage 'senior'" in problems
    assert "x-1: unknown area 'astrology'" in problems
    assert "x-1: unknown kind 'lecture'" in problems
    assert any(p.startswith("x-2: a question ends with '?'") for p in problems)
    assert "the bank holds 3 questions, fewer than 40" in problems
    assert "peer_collaboration has 0 questions, fewer than 10" in problems


def test_an_installed_tandem_ships_the_bank_file() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["bot.meetings"]
    assert any(fnmatch(BANK_FILE, pattern) for pattern in patterns)
    assert (ROOT / "bot" / "meetings" / BANK_FILE).is_file()


def test_focus_areas_name_the_banks_areas_by_keyword() -> None:
    assert areas_of(FOCUS) == {"craft", "influence", "career"}
    assert areas_of(["Leading a team", "Public speaking"]) == {"leadership", "influence"}
    assert areas_of(["gardening"]) == set()


def test_the_pick_fits_the_stage_and_focus_and_never_repeats_the_last() -> None:
    bank = question_bank()
    pool = candidates(bank, "career_strategy", FOCUS)
    assert {q.stage for q in pool} == {"career_strategy"}
    assert {q.area for q in pool} == {"general", "craft", "influence", "career"}
    last, seen = None, []
    for _ in range(len(pool) * 2):
        picked = next_question(bank, "career_strategy", FOCUS, last, seed=7)
        assert picked is not None and picked.id != last
        seen.append(picked.id)
        last = picked.id
    # It walks the whole pool before coming back to one.
    assert sorted(seen[: len(pool)]) == sorted(q.id for q in pool)
    # Without a focus, the whole stage rotates.
    assert len(candidates(bank, "peer_collaboration", [])) == sum(
        q.stage == "peer_collaboration" for q in bank
    )


def test_another_question_skips_both_the_one_shown_and_the_last_stored() -> None:
    bank = question_bank()
    pool = candidates(bank, "skill_building", ["gardening"])
    shown, last = pool[3].id, pool[4].id
    picked = next_question(bank, "skill_building", [], last, seed=0, shown_id=shown)
    assert picked is not None and picked.id not in (shown, last)
    # Pairs with no question yet start at different places.
    starts = {next_question(bank, "skill_building", [], None, seed=s).id for s in range(5)}
    assert len(starts) == 5


def test_a_tiny_pool_still_never_repeats() -> None:
    bank = (
        Question("a", "skill_building", "craft", "question", "A?"),
        Question("b", "career_strategy", "craft", "question", "B?"),
    )
    first = next_question(bank, "skill_building", [], None, seed=0)
    assert first is not None and first.id == "a"
    again = next_question(bank, "skill_building", [], "a", seed=0)
    assert again is not None and again.id == "b"

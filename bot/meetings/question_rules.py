"""Which open question the mentor's reminder carries: the pair's stage, its focus, no repeat.

The guides say a mentor's role "shifts toward asking powerful questions, suggesting
alternative frames". Tandem keeps a small curated bank (bot/meetings/questions.toml), each
question tagged with a stage and an area. For a reminder:

- the candidates are the questions of the pair's stage;
- those of the areas the charter's focus areas name (matched by keyword: "system design" is
  craft, "stakeholders" is influence), together with the stage's general ones, are preferred
  when there are at least two of them, so a pair with a narrow focus still rotates;
- the pick rotates through the candidates in the bank's order, starting after the question
  shown last (a pair never sees the same question twice in a row), or, for a pair that has had
  none, at a place its id chooses (so pairs of a programme do not all start on the same one);
- "Another question" also skips the one on screen, which may differ from the last one stored
  when another reminder came since.

Pure functions: no session, no Slack.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

STAGES = ("skill_building", "career_strategy", "peer_collaboration")
KINDS = ("question", "frame")
GENERAL = "general"
# area → words that, found in a charter's focus area, mean that area (matched at word starts,
# case-insensitively: "lead" matches "leading" and "leadership").
AREAS: dict[str, tuple[str, ...]] = {
    GENERAL: (),
    "craft": (
        "design",
        "architect",
        "code",
        "coding",
        "engineer",
        "technical",
        "system",
        "data",
        "testing",
        "debug",
        "product",
        "craft",
        "quality",
        "research",
    ),
    "influence": (
        "stakeholder",
        "influenc",
        "communicat",
        "present",
        "speak",
        "negotiat",
        "persua",
        "alignment",
        "conflict",
        "politic",
    ),
    "leadership": ("lead", "manag", "team", "delegat", "hiring", "people", "coach"),
    "career": ("career", "promot", "promo", "growth", "role", "job", "interview", "salary"),
    "network": ("network", "visib", "community", "brand", "relationship", "sponsor", "conference"),
    "balance": (
        "balance",
        "burnout",
        "wellbeing",
        "well-being",
        "time",
        "priorit",
        "focus",
        "productiv",
        "energy",
        "stress",
    ),
    "feedback": ("feedback", "review", "self-aware", "reflect", "confidence", "impostor"),
}
MIN_PER_STAGE = 10  # each stage needs enough questions to rotate for months
MIN_BANK = 40


@dataclass(frozen=True)
class Question:
    """One question of the bank."""

    id: str
    stage: str
    area: str
    kind: str  # "question" (to ask) or "frame" (an alternative frame to offer)
    text: str


def areas_of(focus_areas: Iterable[str]) -> set[str]:
    """The bank's areas a charter's focus areas name (none: only general questions fit)."""
    found: set[str] = set()
    for focus in focus_areas:
        words = re.findall(r"[\w-]+", focus.casefold())
        for area, stems in AREAS.items():
            if any(word.startswith(stem) for word in words for stem in stems):
                found.add(area)
    return found


def candidates(bank: Sequence[Question], stage: str, focus_areas: Iterable[str]) -> list[Question]:
    """The questions that fit a pair of `stage` whose charter names `focus_areas`, in bank
    order (the whole bank for a stage it does not know)."""
    staged = [q for q in bank if q.stage == stage] or list(bank)
    wanted = areas_of(focus_areas)
    if wanted:
        focused = [q for q in staged if q.area in wanted or q.area == GENERAL]
        if len(focused) >= 2:
            return focused
    return staged


def next_question(
    bank: Sequence[Question],
    stage: str,
    focus_areas: Iterable[str],
    last_id: str | None,
    seed: int,
    shown_id: str | None = None,
) -> Question | None:
    """The question after `last_id` among the candidates, never `last_id` or `shown_id`
    (None only when the bank has nothing else to offer)."""
    pool = candidates(bank, stage, focus_areas)
    if not pool:
        return None
    ids = [q.id for q in pool]
    after = shown_id if shown_id in ids else last_id
    start = ids.index(after) + 1 if after in ids else seed % len(pool)
    skip = {last_id, shown_id}
    for step in range(len(pool)):
        question = pool[(start + step) % len(pool)]
        if question.id not in skip:
            return question
    # Every candidate is excluded (a pool of one or two): any other question of the bank.
    return next((q for q in bank if q.id not in skip), None)


def bank_problems(bank: Sequence[Question]) -> list[str]:
    """What is wrong with a bank (empty when it is fine): ids unique, stages, areas and
    kinds known, no text twice, enough questions overall and for each stage."""
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for q in bank:
        if q.id in seen_ids:
            problems.append(f"{q.id}: the id is used twice")
        seen_ids.add(q.id)
        text = " ".join(q.text.casefold().split())
        if text in seen_texts:
            problems.append(f"{q.id}: the same text as another question")
        seen_texts.add(text)
        if q.stage not in STAGES:
            problems.append(f"{q.id}: unknown stage {q.stage!r}")
        if q.area not in AREAS:
            problems.append(f"{q.id}: unknown area {q.area!r}")
        if q.kind not in KINDS:
            problems.append(f"{q.id}: unknown kind {q.kind!r}")
        if not q.text.strip().endswith("?") or len(q.text) > 200:
            problems.append(f"{q.id}: a question ends with '?' and fits in 200 characters")
    if len(bank) < MIN_BANK:
        problems.append(f"the bank holds {len(bank)} questions, fewer than {MIN_BANK}")
    for stage in STAGES:
        count = sum(q.stage == stage for q in bank)
        if count < MIN_PER_STAGE:
            problems.append(f"{stage} has {count} questions, fewer than {MIN_PER_STAGE}")
    return problems

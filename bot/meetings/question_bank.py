"""The bank of open questions, read once from the data file shipped with the package."""

import tomllib
from functools import cache
from importlib.resources import files

from bot.meetings.question_rules import Question

BANK_FILE = "questions.toml"


def parse_bank(text: str) -> tuple[Question, ...]:
    """The questions a bank file's TOML holds, in file order."""
    entries = tomllib.loads(text).get("question", [])
    return tuple(
        Question(
            id=str(entry["id"]),
            stage=str(entry["stage"]),
            area=str(entry["area"]),
            kind=str(entry.get("kind", "question")),
            text=" ".join(str(entry["text"]).split()),
        )
        for entry in entries
    )


@cache
def question_bank() -> tuple[Question, ...]:
    """Tandem's question bank (bot/meetings/questions.toml), read on first use."""
    return parse_bank(files("bot.meetings").joinpath(BANK_FILE).read_text(encoding="utf-8"))


def question_by_id(question_id: str | None) -> Question | None:
    """The bank's question with `question_id` (None for an id since retired)."""
    return next((q for q in question_bank() if q.id == question_id), None)

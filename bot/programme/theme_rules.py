"""Programme-only feedback, made useful without naming anyone (k-anonymity).

Admins see a cohort's programme-only feedback only once its entries come from at least
`K_ANONYMITY` different people (someone who writes often counts once: five entries from one
person would be that person's); before that, only how many entries there are. When shown,
entries are grouped by kind, carry only their month, are stripped of mentions, emails, links
to people and the names of the cohort's people, and are listed in an order that has nothing
to do with who wrote them or when (sorted by month, then text).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.reflection.service.health import FEEDBACK_KINDS as KIND_LABELS

K_ANONYMITY = 5
MAX_ENTRY = 280  # characters shown per entry
SOMEONE = "[someone]"

_SLACK_REFS = re.compile(r"<[@#!][^>]*>")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@dataclass(frozen=True)
class FeedbackEntry:
    """One programme-only entry as the query returns it: no author, no pair, no date."""

    kind: str
    text: str
    month: str  # "YYYY-MM"


@dataclass(frozen=True)
class Theme:
    """Entries of one kind, anonymised."""

    kind: str
    label: str
    entries: tuple[tuple[str, str], ...]  # (month, text)


@dataclass(frozen=True)
class CohortFeedback:
    """What admins may see of one cohort's programme-only feedback."""

    cohort: str | None
    count: int  # entries
    authors: int  # different people who wrote them
    themes: tuple[Theme, ...] = ()  # empty while authors < K_ANONYMITY

    @property
    def shown(self) -> bool:
        return self.authors >= K_ANONYMITY


def name_words(names: Iterable[str]) -> set[str]:
    """The words that could name someone: full names and each part of them."""
    words = set()
    for name in names:
        name = name.strip()
        if len(name) >= 2:
            words.add(name)
        words.update(part for part in re.split(r"[\s._-]+", name) if len(part) >= 3)
    return words


def anonymise(text: str, names: set[str]) -> str:
    """`text` without mentions, emails or any of `names`, clipped to MAX_ENTRY."""
    text = _SLACK_REFS.sub(SOMEONE, text)
    text = _EMAIL.sub(SOMEONE, text)
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", SOMEONE, text, flags=re.IGNORECASE)
    text = " ".join(text.split())
    return text if len(text) <= MAX_ENTRY else text[: MAX_ENTRY - 1] + "…"


def cohort_feedback(
    cohort: str | None, entries: list[FeedbackEntry], names: set[str], authors: int
) -> CohortFeedback:
    """The admins' view of one cohort's programme-only feedback (see the module docstring),
    from its entries and how many different people wrote them."""
    if authors < K_ANONYMITY:
        return CohortFeedback(cohort, len(entries), authors)
    themes = []
    others = sorted({e.kind for e in entries} - set(KIND_LABELS))
    labels = [*KIND_LABELS.items(), *((kind, kind.capitalize()) for kind in others)]
    for kind, label in labels:
        shown = sorted((e.month, anonymise(e.text, names)) for e in entries if e.kind == kind)
        if shown:
            themes.append(Theme(kind, label, tuple(shown)))
    return CohortFeedback(cohort, len(entries), authors, tuple(themes))

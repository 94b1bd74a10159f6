"""Reading a list of pairs to import: `mentor,mentee[,cohort]`, one pair a line.

A person is a Slack user id (`U0123ABCD`), a mention as Slack sends it (`<@U0123ABCD>` or
`<@U0123ABCD|maya>`) or an email address. The file is read whole and every line checked
before anything happens: a file that cannot be read as a list of pairs at all (wrong header,
not text, too long) is `Unusable`, and nothing is imported; otherwise each line is either a
`RosterLine` to propose or a `LineProblem` saying, by line number, why it was refused.

Spreadsheets save CSV in many ways; all of these are read the same: a UTF-8 byte-order mark,
semicolons or tabs instead of commas (Excel in much of Europe), Windows line endings, quoted
cells, blank lines, header names in any case and order.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from enum import StrEnum

MAX_LINES = 5000  # pairs per import; more is a programme launch to split into cohorts
MAX_COHORT_NAME = 80
COLUMNS = ("mentor", "mentee", "cohort")
REQUIRED = ("mentor", "mentee")
HEADER_EXAMPLE = "mentor,mentee,cohort"

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>$")
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class RefKind(StrEnum):
    USER_ID = "user_id"
    EMAIL = "email"


@dataclass(frozen=True)
class PersonRef:
    """Who a cell names, before Slack is asked: a user id, or an email to look up."""

    kind: RefKind
    value: str  # user ids as given; emails lower-cased

    def shown(self) -> str:
        """How the person is named back to the admin."""
        return f"<@{self.value}>" if self.kind == RefKind.USER_ID else self.value


@dataclass(frozen=True)
class RosterLine:
    """A line that reads as a pair (its people still to be found in Slack)."""

    number: int  # line number in the file, counting the header, as an editor shows it
    mentor: PersonRef
    mentee: PersonRef
    cohort: str | None


@dataclass(frozen=True)
class LineProblem:
    """A refused line and why, in words for the admin."""

    number: int
    reason: str


@dataclass(frozen=True)
class Roster:
    """A readable list: the lines to go ahead with and the lines refused."""

    lines: list[RosterLine] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Unusable:
    """The whole file cannot be used; `message` says why and how to fix it. Nothing happens."""

    message: str


def decode(raw: bytes) -> str | Unusable:
    """File bytes as text (UTF-8, with or without a byte-order mark)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Unusable(
            "This file isn't UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try "
            "again."
        )


def person_ref(cell: str) -> PersonRef | str:
    """The person a cell names, or why it names nobody Tandem can find."""
    text = cell.strip()
    if not text:
        return "a person is missing"
    mention = _MENTION.match(text)
    if mention:
        return PersonRef(RefKind.USER_ID, mention.group(1))
    if _USER_ID.match(text):
        return PersonRef(RefKind.USER_ID, text)
    if _EMAIL.match(text):
        return PersonRef(RefKind.EMAIL, text.lower())
    if text.startswith("@"):
        return (
            f"“{_clip(text)}” is a display name, which can change and repeat; use their email "
            "or Slack member id instead"
        )
    return f"“{_clip(text)}” is not a Slack user id, a mention or an email address"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(cells: list[str]) -> list[str] | None:
    names = [cell.strip().strip('"').lower() for cell in cells]
    return names if set(REQUIRED) <= set(names) else None


def _looks_like_data(cells: list[str]) -> bool:
    return len(cells) >= 2 and all(isinstance(person_ref(cell), PersonRef) for cell in cells[:2])


def parse_roster(text: str, *, header_optional: bool = False) -> Roster | Unusable:
    """Read every line of `text`; see the module docstring.

    The CLI's files need their header; pasted lines (`header_optional`) may leave it out,
    and are then read as mentor, mentee, cohort.
    """
    text = text.removeprefix("\ufeff")
    raw_lines = text.splitlines()
    numbered = [(n, line) for n, line in enumerate(raw_lines, 1) if line.strip()]
    if not numbered:
        return Unusable(
            f"There are no pairs in it. Each line is `mentor,mentee` with an optional cohort, "
            f"after a header line `{HEADER_EXAMPLE}`."
        )
    delimiter = _delimiter(numbered[0][1])
    rows = [
        (n, next(csv.reader(io.StringIO(line), delimiter=delimiter), [])) for n, line in numbered
    ]
    first_cells = rows[0][1]
    columns = _header(first_cells)
    if columns is not None:
        rows = rows[1:]
        unknown = [name for name in columns if name not in COLUMNS]
        if unknown:
            return Unusable(
                f"I don't know the column “{_clip(unknown[0])}”. The columns are mentor, "
                f"mentee and (optional) cohort: `{HEADER_EXAMPLE}`."
            )
        if len(set(columns)) != len(columns):
            return Unusable(f"A column is named twice in the header. Use `{HEADER_EXAMPLE}`.")
    elif header_optional and _looks_like_data(first_cells):
        columns = list(COLUMNS)
    elif _looks_like_data(first_cells):
        return Unusable(
            f"The first line should be the header `{HEADER_EXAMPLE}` (the cohort column is "
            "optional); it looks like a pair. Add the header and try again."
        )
    else:
        found = ",".join(cell.strip() for cell in first_cells)
        return Unusable(
            f"The header should be `{HEADER_EXAMPLE}` (cohort optional), but it is "
            f"“{_clip(found, 60)}”."
        )
    if not rows:
        return Unusable("There's a header but no pairs after it.")
    if len(rows) > MAX_LINES:
        return Unusable(
            f"That's {len(rows):,} pairs; one import takes at most {MAX_LINES:,}. Split the "
            "file (by cohort, say) and import each part. Nothing was imported."
        )
    return _read_rows(rows, columns)


def _read_rows(rows: list[tuple[int, list[str]]], columns: list[str]) -> Roster:
    lines: list[RosterLine] = []
    problems: list[LineProblem] = []
    seen: dict[tuple[PersonRef, PersonRef], int] = {}
    for number, cells in rows:
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            problems.append(
                LineProblem(number, f"it has {len(cells)} cells; expected {len(columns)}")
            )
            continue
        values = dict(zip(columns, cells, strict=False))
        mentor = person_ref(values.get("mentor", ""))
        mentee = person_ref(values.get("mentee", ""))
        cohort = (values.get("cohort") or "").strip() or None
        reason = None
        if isinstance(mentor, str):
            reason = f"mentor: {mentor}"
        elif isinstance(mentee, str):
            reason = f"mentee: {mentee}"
        elif mentor == mentee:
            reason = f"{mentor.shown()} is named as both mentor and mentee"
        elif cohort is not None and len(cohort) > MAX_COHORT_NAME:
            reason = f"the cohort name is longer than {MAX_COHORT_NAME} characters"
        elif (mentor, mentee) in seen:
            reason = f"it repeats line {seen[(mentor, mentee)]}"
        if reason is not None:
            problems.append(LineProblem(number, reason))
            continue
        assert isinstance(mentor, PersonRef) and isinstance(mentee, PersonRef)
        seen[(mentor, mentee)] = number
        lines.append(RosterLine(number, mentor, mentee, cohort))
    return Roster(lines, problems)

"""The goal editing form: its inputs, what was submitted, and what changed (pure functions).

Milestones are rows: each existing milestone in its row (the row's milestone id travels in
the modal's metadata), then empty rows to add more. Each row has a title, an optional due
date and a position; emptying a title removes that milestone, changing positions reorders.
A done milestone keeps its tick wherever it moves.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.results import FieldErrors
from bot.goals.form_rules import (
    FURTHEST_TARGET,
    MAX_MILESTONES,
    MILESTONE_MAX,
    date_value,
    day_label,
    option_value,
    read_heading,
    text_value,
    too_long,
)

EDIT_TITLE = "edit.title"
EDIT_WHY = "edit.why"
EDIT_TARGET = "edit.target"
EMPTIED = (
    "Keep at least one milestone: this goal had steps, and removing every one loses them. "
    "If the goal itself is no longer right, drop it instead."
)


def row_title_id(index: int) -> str:
    """The block (and action) id of row `index`'s milestone title."""
    return f"edit.ms.{index}"


def row_due_id(index: int) -> str:
    """The block (and action) id of row `index`'s due date."""
    return f"edit.ms_due.{index}"


def row_position_id(index: int) -> str:
    """The block (and action) id of row `index`'s position select."""
    return f"edit.ms_pos.{index}"


@dataclass(frozen=True)
class MilestoneRow:
    """One milestone as it stands or as edited: its id (None: new), title, due date, done."""

    id: int | None
    title: str
    due_date: date | None
    done: bool = False


@dataclass(frozen=True)
class GoalContent:
    """What the edit form can change on a goal."""

    title: str
    why: str
    target_date: date | None
    milestones: tuple[MilestoneRow, ...] = ()


@dataclass(frozen=True)
class GoalChanges:
    """What an edit changed, in the words the history and the partner's message use."""

    lines: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        """Whether anything changed at all."""
        return bool(self.lines)


def _date_problem(day: date | str | None, before: date | None, today: date) -> str | None:
    if isinstance(day, str):
        return "That doesn't look like a date. Pick one from the calendar."
    if day is None or day == before:
        return None  # an unchanged date may have passed: the goal is only late
    if day < today:
        return f"Pick today ({day_label(today)}) or later: that date has passed."
    if day > today + FURTHEST_TARGET:
        return "Pick a date within the next five years."
    return None


def read_edit_form(
    values: dict[str, Any], current: GoalContent, row_ids: list[int | None], today: date
) -> GoalContent | FieldErrors:
    """The goal as edited (milestones in their new order), or every problem at once.

    `row_ids` says which milestone each row showed (from the modal's metadata), `today` is the
    editor's own calendar day.
    """
    title, why, errors = read_heading(values, EDIT_TITLE, EDIT_WHY)
    target = date_value(values, EDIT_TARGET)
    if problem := _date_problem(target, current.target_date, today):
        errors[EDIT_TARGET] = problem
    existing = {row.id: row for row in current.milestones}
    kept: list[tuple[int, int, MilestoneRow]] = []
    for index in range(min(len(row_ids), MAX_MILESTONES)):
        name = text_value(values, row_title_id(index))
        due = date_value(values, row_due_id(index))
        was = existing.get(row_ids[index])
        if not name:
            continue
        if problem := too_long(name, MILESTONE_MAX):
            errors[row_title_id(index)] = problem
        if problem := _date_problem(due, was.due_date if was else None, today):
            errors[row_due_id(index)] = problem
        elif isinstance(due, date) and isinstance(target, date) and due > target:
            errors[row_due_id(index)] = (
                f"This is after the goal's target date ({day_label(target)}). "
                "Pick an earlier day or move the target date."
            )
        position = option_value(values, row_position_id(index))
        order = int(position) if position and position.isdigit() else index + 1
        row = MilestoneRow(
            was.id if was else None,
            name,
            due if isinstance(due, date) else None,
            was.done if was else False,
        )
        kept.append((order, index, row))
    if current.milestones and not kept and not errors:
        errors[row_title_id(0)] = EMPTIED
    if errors:
        return FieldErrors(errors)
    assert not isinstance(target, str)
    ordered = tuple(row for _, _, row in sorted(kept, key=lambda item: (item[0], item[1])))
    return GoalContent(title, why, target, ordered)


def _when(day: date | None) -> str:
    return day_label(day) if day else "no date"


def changes_between(before: GoalContent, after: GoalContent) -> GoalChanges:
    """Each change an edit made, one line each (title, why, target date, each milestone)."""
    lines: list[str] = []
    if before.title != after.title:
        lines.append(f"Title: “{before.title}” → “{after.title}”")
    if before.why != after.why:
        lines.append("Why it matters: rewritten" if after.why else "Why it matters: removed")
    if before.target_date != after.target_date:
        lines.append(f"Target date: {_when(before.target_date)} → {_when(after.target_date)}")
    old = {row.id: row for row in before.milestones}
    new_ids = {row.id for row in after.milestones if row.id is not None}
    for row in after.milestones:
        was = old.get(row.id)
        if was is None:
            lines.append(f"Milestone added: “{row.title}”")
            continue
        if was.title != row.title:
            lines.append(f"Milestone renamed: “{was.title}” → “{row.title}”")
        if was.due_date != row.due_date:
            lines.append(
                f"Milestone “{row.title}” due: {_when(was.due_date)} → {_when(row.due_date)}"
            )
    for row in before.milestones:
        if row.id not in new_ids:
            lines.append(f"Milestone removed: “{row.title}”")
    kept_before = [row.id for row in before.milestones if row.id in new_ids]
    kept_after = [row.id for row in after.milestones if row.id is not None]
    if kept_before != kept_after:
        lines.append("Milestones reordered: " + ", ".join(f"“{r.title}”" for r in after.milestones))
    return GoalChanges(lines)

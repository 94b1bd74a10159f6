"""What people type into the goal modals: the inputs' ids, their limits, and the rules.

Pure functions: a submitted `view.state.values` becomes a draft, or field errors naming
the block to fix. Slack's own checks (max_length, required) are repeated here, because a
crafted request does not go through Slack's client.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.ids import parse_id
from bot.core.modal_state import ModalState
from bot.core.results import FieldErrors

TITLE_MAX = 150
WHY_MAX = 1000
MILESTONE_MAX = 150
MAX_MILESTONES = 10
HAPPENED_MAX = 2000
NOTE_MAX = 1000  # what's next, blockers, and each experiment field
REASON_MAX = 500
FURTHEST_TARGET = timedelta(days=5 * 366)

# Goal modal (block_id == action_id, so every id is unique in the view).
TITLE = "goal.title"
WHY = "goal.why"
OWNER = "goal.owner"
TARGET = "goal.target"
OWNER_ME, OWNER_PARTNER = "me", "partner"


def milestone_title_id(index: int) -> str:
    """The block (and action) id of milestone `index`'s title input."""
    return f"goal.ms.{index}"


def milestone_due_id(index: int) -> str:
    """The block (and action) id of milestone `index`'s due-date picker."""
    return f"goal.ms_due.{index}"


# Update modal.
UPDATE_GOAL = "upd.goal"
PERCENT = "upd.percent"
HAPPENED = "upd.happened"
NEXT = "upd.next"
BLOCKERS = "upd.blockers"
EXPERIMENT = "upd.experiment"
HYPOTHESIS = "upd.hypothesis"
TRIED = "upd.tried"
RESULT = "upd.result"
EXPERIMENT_YES = "yes"


def milestones_block_id(goal_id: int) -> str:
    """The milestone checkboxes of one goal: the id names the goal, so a stale list from
    another goal can never tick this goal's milestones."""
    return f"upd.ms.{goal_id}"


# Status modal.
REASON = "status.reason"


@dataclass(frozen=True)
class MilestoneDraft:
    title: str
    due_date: date | None


@dataclass(frozen=True)
class GoalDraft:
    """A valid new goal, ready to save."""

    title: str
    why: str
    owner: str  # OWNER_ME or OWNER_PARTNER
    target_date: date | None
    milestones: list[MilestoneDraft] = field(default_factory=list)


@dataclass(frozen=True)
class UpdateDraft:
    """A valid progress update, with the milestones to tick and untick."""

    goal_id: int
    percent: int
    happened: str
    next_steps: str
    blockers: str
    is_experiment: bool
    hypothesis: str
    tried: str
    result: str
    checked_milestone_ids: frozenset[int] | None  # None: the checkboxes were not shown


def text_value(values: object, block_id: str) -> str:
    """The text typed into input `block_id`, trimmed ("" when empty, absent or malformed)."""
    return ModalState(values).text(block_id).strip()


def date_value(values: object, block_id: str) -> date | None | str:
    """The date picked in `block_id`, None when empty, or the raw text when it is no date."""
    raw = ModalState(values).date(block_id)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return raw


def option_value(values: object, block_id: str) -> str | None:
    """The value of the option picked in a select or radio `block_id`."""
    return ModalState(values).option(block_id)


def options_values(values: object, block_id: str) -> list[str] | None:
    """The values checked in checkboxes `block_id`, or None when the block was not shown."""
    return ModalState(values).options(block_id)


def too_long(text: str, limit: int) -> str | None:
    """The error for text over `limit` characters, naming the limit."""
    if len(text) <= limit:
        return None
    return f"Please keep this to {limit} characters (it has {len(text)})."


def read_heading(values: object, title_id: str, why_id: str) -> tuple[str, str, dict[str, str]]:
    """A goal's title and why as typed (new or edited), and what is wrong with them, by input."""
    title, why = text_value(values, title_id), text_value(values, why_id)
    errors: dict[str, str] = {}
    if not title:
        errors[title_id] = "Give your goal a short title."
    elif problem := too_long(title, TITLE_MAX):
        errors[title_id] = problem
    if problem := too_long(why, WHY_MAX):
        errors[why_id] = problem
    return title, why, errors


def day_label(day: date) -> str:
    """A calendar date as people read it: "Fri 20 Mar 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _date_problem(day: date | str | None, today: date) -> str | None:
    if isinstance(day, str):
        return "That doesn't look like a date. Pick one from the calendar."
    if day is None:
        return None
    if day < today:
        return f"Pick today ({day_label(today)}) or later: a new goal can't be due in the past."
    if day > today + FURTHEST_TARGET:
        return "Pick a date within the next five years."
    return None


def parse_goal_form(values: object, today: date) -> GoalDraft | FieldErrors:
    """The goal the person described, or every problem at once (judged on `today`, their
    own calendar day)."""
    title, why, errors = read_heading(values, TITLE, WHY)
    owner = option_value(values, OWNER)
    if owner not in (OWNER_ME, OWNER_PARTNER):
        errors[OWNER] = "Choose whose goal this is."
    target = date_value(values, TARGET)
    if problem := _date_problem(target, today):
        errors[TARGET] = problem
    milestones: list[MilestoneDraft] = []
    for index in range(MAX_MILESTONES):
        name = text_value(values, milestone_title_id(index))
        due = date_value(values, milestone_due_id(index))
        if not name:
            if due is not None:
                errors[milestone_due_id(index)] = "Name this milestone above, or clear the date."
            continue
        if problem := too_long(name, MILESTONE_MAX):
            errors[milestone_title_id(index)] = problem
        if problem := _date_problem(due, today):
            errors[milestone_due_id(index)] = problem
        elif isinstance(due, date) and isinstance(target, date) and due > target:
            errors[milestone_due_id(index)] = (
                f"This is after the goal's target date ({day_label(target)}). "
                "Pick an earlier day or move the target date."
            )
        if isinstance(due, str):
            due = None
        milestones.append(MilestoneDraft(name, due))
    if errors:
        return FieldErrors(errors)
    assert owner is not None and not isinstance(target, str)
    return GoalDraft(title, why, owner, target, milestones)


def parse_percent(raw: str) -> int | None:
    """A whole percentage 0–100 from what was typed, else None."""
    text = raw.strip().removesuffix("%").strip()
    if not re.fullmatch(r"[0-9]{1,6}", text):  # ASCII only: "²".isdigit() but int() fails
        return None
    number = int(text)
    return number if 0 <= number <= 100 else None


def parse_update_form(values: object, goal_id: int | None) -> UpdateDraft | FieldErrors:
    """The progress update the person described, or every problem at once.

    `goal_id` is the goal picked in the form (the caller checks that it is theirs).
    """
    errors: dict[str, str] = {}
    if goal_id is None:
        errors[UPDATE_GOAL] = "Choose the goal this update is about."
    raw_percent = text_value(values, PERCENT)
    percent = parse_percent(raw_percent)
    if percent is None:
        errors[PERCENT] = "Enter a whole number from 0 to 100."
    texts: dict[str, str] = {}
    for block_id, limit in (
        (HAPPENED, HAPPENED_MAX),
        (NEXT, NOTE_MAX),
        (BLOCKERS, NOTE_MAX),
        (HYPOTHESIS, NOTE_MAX),
        (TRIED, NOTE_MAX),
        (RESULT, NOTE_MAX),
    ):
        texts[block_id] = text_value(values, block_id)
        if problem := too_long(texts[block_id], limit):
            errors[block_id] = problem
    if not texts[HAPPENED]:
        errors.setdefault(HAPPENED, "Tell your partner what happened since last time.")
    is_experiment = EXPERIMENT_YES in (options_values(values, EXPERIMENT) or [])
    if is_experiment:
        for block_id, ask in (
            (HYPOTHESIS, "What did you expect to happen? An experiment needs a hypothesis."),
            (TRIED, "What did you try? An experiment needs this."),
            (RESULT, "What came of it? An experiment needs a result, even “not sure yet”."),
        ):
            if not texts[block_id]:
                errors.setdefault(block_id, ask)
    checked: frozenset[int] | None = None
    if goal_id is not None:
        picked = options_values(values, milestones_block_id(goal_id))
        if picked is not None:
            checked = frozenset(n for n in map(parse_id, picked) if n is not None)
    if errors:
        return FieldErrors(errors)
    assert goal_id is not None and percent is not None
    return UpdateDraft(
        goal_id=goal_id,
        percent=percent,
        happened=texts[HAPPENED],
        next_steps=texts[NEXT],
        blockers=texts[BLOCKERS],
        is_experiment=is_experiment,
        hypothesis=texts[HYPOTHESIS] if is_experiment else "",
        tried=texts[TRIED] if is_experiment else "",
        result=texts[RESULT] if is_experiment else "",
        checked_milestone_ids=checked,
    )


def parse_reason(values: object, required: bool) -> str | FieldErrors:
    """The reason given for a status change (required to drop a goal)."""
    reason = text_value(values, REASON)
    if required and not reason:
        return FieldErrors({REASON: "Say in a few words why, so you both remember later."})
    if problem := too_long(reason, REASON_MAX):
        return FieldErrors({REASON: problem})
    return reason

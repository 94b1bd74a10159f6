"""Goal messages in the pair's group DM: the goal with its Done buttons, progress, changes."""

from typing import Any

from bot.core.ids import parse_id
from bot.core.kit import (
    actions,
    button,
    checked_message,
    clip,
    context,
    divider,
    header,
    mrkdwn_escape,
    section,
)
from bot.goals.form_rules import day_label
from storage.models import Goal, GoalStatus, GoalUpdate, Milestone, Person

TICK_ACTION_PREFIX = "goal.tick:"
PROGRESS_ACTION = "goal.progress"
COMPLETE_ACTION = "goal.complete"
PAUSE_ACTION = "goal.pause"
RESUME_ACTION = "goal.resume"
DROP_ACTION = "goal.drop"
EDIT_ACTION = "goal.edit"
BAR_CELLS = 10


def user_text(text: str, limit: int) -> str:
    """Someone's own words made safe for mrkdwn, at most `limit` characters once escaped
    (never cutting an escape like `&amp;` in half)."""
    escaped = mrkdwn_escape(text)
    if len(escaped) <= limit:
        return escaped
    kept: list[str] = []
    used = 0
    for char in text:
        piece = mrkdwn_escape(char)
        if used + len(piece) > limit - 1:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept) + "…"


def progress_bar(percent: int) -> str:
    """`▰▰▰▱▱▱▱▱▱▱ 30%` (a cell fills only once reached, so 99% never looks done)."""
    filled = max(0, min(BAR_CELLS, percent * BAR_CELLS // 100))
    return "▰" * filled + "▱" * (BAR_CELLS - filled) + f" {percent}%"


def tick_value(goal_id: int, milestone_id: int) -> str:
    """What a Done button carries: the goal and the milestone (both re-checked on click)."""
    return f"{goal_id}:{milestone_id}"


def parse_tick_value(value: str) -> tuple[int, int] | None:
    """(goal id, milestone id) from a Done button's value, or None when it is not ours."""
    goal, _, milestone = (value or "").partition(":")
    goal_id, milestone_id = parse_id(goal), parse_id(milestone)
    if goal_id is None or milestone_id is None:
        return None
    return goal_id, milestone_id


def _status_line(goal: Goal) -> str:
    reason = f": {user_text(goal.status_reason, 300)}" if goal.status_reason else ""
    if goal.status == GoalStatus.COMPLETED:
        return f"🏆 Completed{reason}"
    if goal.status == GoalStatus.PAUSED:
        return f"⏸ Paused{reason}"
    if goal.status == GoalStatus.DROPPED:
        return f"Dropped{reason}"
    return ""


def _milestone_block(goal: Goal, milestone: Milestone) -> dict[str, Any]:
    title = user_text(milestone.title, 200)
    due = f"  ·  due {day_label(milestone.due_date)}" if milestone.due_date else ""
    if milestone.done_at is not None:
        return section(f"✅ {title}  ·  _done {day_label(milestone.done_at.date())}_")
    block = section(f"⬜ {title}{due}")
    if goal.status == GoalStatus.ACTIVE and goal.id is not None and milestone.id is not None:
        block["accessory"] = button(
            "Done",
            f"{TICK_ACTION_PREFIX}{milestone.id}",
            tick_value(goal.id, milestone.id),
        )
    return block


def goal_message(goal: Goal, milestones: list[Milestone], owner: Person) -> dict[str, Any]:
    """The goal as posted in the group DM (and updated in place as it moves)."""
    done = sum(1 for m in milestones if m.done_at is not None)
    facts = [f"*Owner:* <@{owner.user_id}>"]
    if goal.target_date:
        facts.append(f"*Target:* {day_label(goal.target_date)}")
    text = "  ·  ".join(facts)
    if goal.why:
        text += f"\n*Why it matters:* {user_text(goal.why, 2000)}"
    progress = progress_bar(goal.percent)
    if milestones:
        progress += f"  ·  {done} of {len(milestones)} milestones done"
    if status := _status_line(goal):
        progress += f"  ·  {status}"
    blocks: list[dict[str, Any]] = [
        header(f"🎯 {clip(goal.title, 140)}"),
        section(text),
        context(progress),
    ]
    if milestones:
        blocks.append(divider())
        blocks += [_milestone_block(goal, m) for m in milestones]
    value = str(goal.id)
    if goal.status == GoalStatus.ACTIVE:
        blocks.append(
            actions(
                button("Post progress", PROGRESS_ACTION, value, "primary"),
                button("Complete", COMPLETE_ACTION, value),
                button("Edit", EDIT_ACTION, value),
                button("Pause", PAUSE_ACTION, value),
                button("Drop", DROP_ACTION, value, "danger"),
            )
        )
    elif goal.status == GoalStatus.PAUSED:
        blocks.append(
            actions(
                button("Resume", RESUME_ACTION, value, "primary"),
                button("Complete", COMPLETE_ACTION, value),
                button("Edit", EDIT_ACTION, value),
                button("Drop", DROP_ACTION, value, "danger"),
            )
        )
    fallback = f"Goal for {owner.real_name or owner.display_name}: {clip(goal.title, 150)}"
    return {"text": fallback, "blocks": checked_message(blocks)}


def update_message(
    goal: Goal,
    update: GoalUpdate,
    author: Person,
    previous_percent: int,
    ticked: list[Milestone],
) -> dict[str, Any]:
    """A progress update as the partner sees it in the group DM."""
    change = f" (was {previous_percent}%)" if previous_percent != update.percent else ""
    label = "an experiment" if update.is_experiment else "progress"
    blocks: list[dict[str, Any]] = [
        section(
            f"📈 <@{author.user_id}> posted {label} on *{user_text(goal.title, 200)}*: "
            f"*{update.percent}%*{change}\n{progress_bar(update.percent)}"
        ),
        section(f"*What happened*\n{user_text(update.happened, 2000)}"),
    ]
    if update.is_experiment:
        blocks += [
            section(f"🧪 *Hypothesis*\n{user_text(update.hypothesis, 1000)}"),
            section(f"*What I tried*\n{user_text(update.tried, 1000)}"),
            section(f"*Result*\n{user_text(update.result, 1000)}"),
        ]
    if update.next_steps:
        blocks.append(section(f"*What's next*\n{user_text(update.next_steps, 1000)}"))
    if update.blockers:
        blocks.append(section(f"🚧 *Blockers*\n{user_text(update.blockers, 1000)}"))
    if ticked:
        names = ", ".join(user_text(m.title, 150) for m in ticked)
        blocks.append(context(f"✅ Milestones done: {names}"))
    fallback = f"Progress on {clip(goal.title, 150)}: {update.percent}%"
    return {"text": fallback, "blocks": checked_message(blocks)}


def status_note(goal: Goal, actor: Person, change: str) -> dict[str, Any]:
    """Telling the pair that a goal was paused, resumed or dropped."""
    verb = {"pause": "⏸ paused", "resume": "▶️ resumed", "drop": "dropped"}[change]
    text = f"<@{actor.user_id}> {verb} the goal *{user_text(goal.title, 200)}*."
    if goal.status_reason and change != "resume":
        text += f"\n> {user_text(goal.status_reason, 500)}"
    return {
        "text": f"Goal {verb.split()[-1]}: {clip(goal.title, 150)}",
        "blocks": checked_message([section(text)]),
    }

"""The goal modals: a new goal, a progress update, a status change, and a notice."""

from typing import Any

from bot.core import kit
from bot.core.kit import clip, context, modal, mrkdwn_escape, section
from bot.core.membership import Membership
from bot.core.picker import pair_label, pair_picker_block
from bot.goals import form_rules
from bot.goals.blocks.inputs import OPTION_TEXT_LIMIT, input_block, option, plain, text_input
from storage.models import Goal, Milestone

CREATE_CALLBACK = "goal.create"
UPDATE_CALLBACK = "goal.update"
STATUS_CALLBACK = "goal.status"

STATUS_WORDING = {
    # new status: (title, submit, reason label, reason required)
    "complete": (
        "Complete goal",
        "Complete",
        "Anything to remember about how you got there?",
        False,
    ),
    "pause": ("Pause goal", "Pause", "Why pause it?", False),
    "drop": ("Drop goal", "Drop", "Why drop it?", True),
}


def person_name(membership: Membership, whose: str) -> str:
    """A member's name as the modal shows it."""
    person = membership.me if whose == form_rules.OWNER_ME else membership.partner
    return person.real_name or person.display_name or "your partner"


def goal_modal(choices: list[Membership], chosen: Membership | None) -> dict[str, Any]:
    """The new-goal modal: for `chosen`'s pair, or with a pair picker over `choices`."""
    blocks: list[dict[str, Any]] = []
    if chosen is None:
        blocks.append(pair_picker_block(choices))
        owner_options = [
            option("Me", form_rules.OWNER_ME),
            option("My partner", form_rules.OWNER_PARTNER),
        ]
        mentee_is_me = all(m.role == "mentee" for m in choices)
    else:
        partner_role = "my mentee" if chosen.role == "mentor" else "my mentor"
        owner_options = [
            option(f"Me ({person_name(chosen, form_rules.OWNER_ME)})", form_rules.OWNER_ME),
            option(
                f"{person_name(chosen, form_rules.OWNER_PARTNER)} ({partner_role})",
                form_rules.OWNER_PARTNER,
            ),
        ]
        mentee_is_me = chosen.role == "mentee"
    # Most goals belong to the mentee, so that is the default either way.
    initial = owner_options[0] if mentee_is_me else owner_options[1]
    blocks += [
        input_block(
            form_rules.TITLE,
            "Goal",
            text_input(form_rules.TITLE_MAX, "e.g. Lead the Q3 launch end to end"),
        ),
        input_block(
            form_rules.WHY,
            "Why it matters",
            text_input(
                form_rules.WHY_MAX, "What will be different when it's done?", multiline=True
            ),
            optional=True,
        ),
        input_block(
            form_rules.OWNER,
            "Whose goal is it?",
            {"type": "static_select", "options": owner_options, "initial_option": initial},
        ),
        input_block(
            form_rules.TARGET,
            "Target date",
            {"type": "datepicker", "placeholder": plain("When should it be done?")},
            optional=True,
        ),
        section(
            "*Milestones*: up to ten steps on the way, each with an optional due date "
            "(on or before the target date). Leave the rest empty."
        ),
    ]
    for index in range(form_rules.MAX_MILESTONES):
        number = index + 1
        blocks.append(
            input_block(
                form_rules.milestone_title_id(index),
                f"Milestone {number}",
                text_input(
                    form_rules.MILESTONE_MAX, "e.g. Write the design doc" if index == 0 else ""
                ),
                optional=True,
            )
        )
        blocks.append(
            input_block(
                form_rules.milestone_due_id(index),
                f"Milestone {number} due",
                {"type": "datepicker", "placeholder": plain("Optional")},
                optional=True,
            )
        )
    metadata = {"pair": chosen.pair.id} if chosen is not None else {}
    return modal(
        "New goal", blocks, callback_id=CREATE_CALLBACK, submit="Save goal", metadata=metadata
    )


def _goal_select(
    groups: list[tuple[Membership, list[Goal]]], selected: Goal | None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": plain("Choose a goal"),
    }
    chosen_option = None
    if len(groups) == 1:
        element["options"] = [option(g.title, str(g.id)) for g in groups[0][1][:100]]
        offered = element["options"]
    else:
        element["option_groups"] = [
            {
                "label": plain(pair_label(membership)),
                "options": [option(g.title, str(g.id)) for g in goals[:100]],
            }
            for membership, goals in groups[:100]
            if goals
        ]
        offered = [o for group in element["option_groups"] for o in group["options"]]
    if selected is not None:
        chosen_option = next((o for o in offered if o["value"] == str(selected.id)), None)
    if chosen_option is not None:
        element["initial_option"] = chosen_option
    return input_block(form_rules.UPDATE_GOAL, "Goal", element, dispatch=True)


def update_modal(
    groups: list[tuple[Membership, list[Goal]]],
    selected: Goal | None,
    milestones: list[Milestone],
) -> dict[str, Any]:
    """The progress modal over the person's active goals (grouped by pair when several)."""
    blocks: list[dict[str, Any]] = [
        _goal_select(groups, selected),
        input_block(
            form_rules.PERCENT,
            "How far along is it? (percent)",
            {
                "type": "number_input",
                "is_decimal_allowed": False,
                "min_value": "0",
                "max_value": "100",
                "initial_value": str(selected.percent if selected else 0),
            },
        ),
        input_block(
            form_rules.HAPPENED,
            "What happened",
            text_input(form_rules.HAPPENED_MAX, "Since your last update…", multiline=True),
        ),
        input_block(
            form_rules.NEXT,
            "What's next",
            text_input(form_rules.NOTE_MAX, multiline=True),
            optional=True,
        ),
        input_block(
            form_rules.BLOCKERS,
            "Blockers",
            text_input(form_rules.NOTE_MAX, "Anything in the way? Your partner may help.", True),
            optional=True,
        ),
        input_block(
            form_rules.EXPERIMENT,
            "Experiment",
            {
                "type": "checkboxes",
                "options": [
                    {
                        "text": plain("This was an experiment"),
                        "value": form_rules.EXPERIMENT_YES,
                        "description": plain("Then tell the hypothesis, what you tried, result"),
                    }
                ],
            },
            optional=True,
        ),
        input_block(
            form_rules.HYPOTHESIS,
            "Hypothesis",
            text_input(form_rules.NOTE_MAX, "I expected that…", multiline=True),
            optional=True,
        ),
        input_block(
            form_rules.TRIED,
            "What I tried",
            text_input(form_rules.NOTE_MAX, multiline=True),
            optional=True,
        ),
        input_block(
            form_rules.RESULT,
            "Result",
            text_input(form_rules.NOTE_MAX, "What happened, and what it taught you", True),
            optional=True,
        ),
    ]
    done_ids: list[int] = []
    if selected is not None and milestones:
        options = [
            {
                "text": plain(clip(m.title, OPTION_TEXT_LIMIT)),
                "value": str(m.id),
                **({"description": plain(form_rules.day_label(m.due_date))} if m.due_date else {}),
            }
            for m in milestones[: form_rules.MAX_MILESTONES]
        ]
        done_ids = [m.id for m in milestones if m.done_at is not None and m.id is not None]
        element: dict[str, Any] = {"type": "checkboxes", "options": options}
        initial = [o for o in options if int(o["value"]) in done_ids]
        if initial:
            element["initial_options"] = initial
        block_id = form_rules.milestones_block_id(selected.id or 0)
        blocks.append(
            input_block(
                block_id, "Milestones done", element, optional=True, hint="Tick what's done."
            )
        )
    elif selected is None:
        blocks.append(context("Choose a goal to tick its milestones here."))
    metadata = {"goal": selected.id if selected else None, "done": done_ids}
    return modal(
        "Post progress",
        blocks,
        callback_id=UPDATE_CALLBACK,
        submit="Post update",
        metadata=metadata,
    )


def status_modal(goal: Goal, change: str) -> dict[str, Any]:
    """Confirm completing, pausing or dropping `goal`, with a reason (needed to drop)."""
    title, submit, label, required = STATUS_WORDING[change]
    reason = form_rules.REASON
    blocks = [
        section(f"*{mrkdwn_escape(clip(goal.title, 200))}*"),
        input_block(
            reason,
            label,
            text_input(form_rules.REASON_MAX, multiline=True),
            optional=not required,
        ),
    ]
    metadata = {"goal": goal.id, "change": change}
    return modal(title, blocks, callback_id=STATUS_CALLBACK, submit=submit, metadata=metadata)


def notice_modal(text: str) -> dict[str, Any]:
    """A modal that only says something of ours (e.g. why nothing was saved); the goal
    modals' notices close with "OK"."""
    return kit.notice_modal(text, close="OK")

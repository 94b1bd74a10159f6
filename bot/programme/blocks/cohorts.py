"""Cohorts for admins: numbers, six-month trends as sparklines, feedback themes, the modal."""

from typing import Any

from slack_sdk.models.blocks import TableBlock, TableBlockColumnSettings

from bot.core.kit import (
    SECTION_TEXT_LIMIT,
    actions,
    button,
    checked_message,
    context,
    header,
    modal,
    mrkdwn_escape,
    section,
)
from bot.core.programme_settings import CADENCES, EffectiveSettings
from bot.programme.service.cohorts import MAX_REVIEW_MONTHS, WORKSPACE_CHOICE, ProgrammeOverview
from bot.programme.service.funnel import STAGES, Funnel
from bot.programme.theme_rules import K_ANONYMITY, CohortFeedback
from bot.programme.trend_rules import CohortTrend, sparkline
from storage.models import Cohort

COHORT_CALLBACK = "programme.cohort"
NEW_COHORT_ACTION = "programme.cohort.new"
EDIT_COHORT_ACTION = "programme.cohort.edit"
REMIND_UNANSWERED_ACTION = "programme.funnel.remind"
INVITE_DECLINED_ACTION = "programme.funnel.rejoin"
MAX_COHORTS_SHOWN = 12  # three blocks each, within a message's 50


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def trend_lines(trend: CohortTrend | None, months: list[str]) -> list[str]:
    """Three sparklines (meeting rate, goals completed, health) over the months, with the last."""
    if trend is None:
        return [f"_No meetings, goals or reviews in {months[0]} – {months[-1]}._"]
    most_goals = max(trend.goals_completed) or 1
    return [
        f"`{sparkline(trend.meeting_rate)}` meeting rate (now {_pct(trend.meeting_rate[-1])})",
        f"`{sparkline(trend.goals_completed, high=most_goals)}` goals completed "
        f"({sum(trend.goals_completed)} in 6 months)",
        f"`{sparkline(trend.average_health, high=100)}` average health "
        f"(now {'–' if trend.average_health[-1] is None else round(trend.average_health[-1])})",
    ]


def _feedback_line(feedback: CohortFeedback | None) -> str:
    count = feedback.count if feedback else 0
    if feedback is not None and feedback.shown:
        return f"Programme feedback: {count} entries, themes in `/tandem admin feedback`."
    return (
        f"Programme feedback: {count} entr{'y' if count == 1 else 'ies'} (themes show once "
        f"{K_ANONYMITY} different people have written, so nobody can be recognised)."
    )


def _own_settings_line(cohort: Cohort | None) -> list[str]:
    """ "Its own settings: ..." for a cohort that set any (the rest are the workspace's)."""
    if cohort is None:
        return []
    own = []
    if cohort.default_cadence in CADENCES:
        own.append(f"meets {CADENCES[cohort.default_cadence].lower()}")
    if cohort.review_interval_months:
        own.append(f"reviews {_months(cohort.review_interval_months).lower()}")
    if cohort.celebrations_channel:
        own.append(f"wins in <#{cohort.celebrations_channel}>")
    return [f"Its own settings: {', '.join(own)}."] if own else []


# Short headings for the funnel's fixed-width columns, in STAGES' order after "proposed".
FUNNEL_HEADINGS = (
    "Proposed",
    "Accepted",
    "Declined",
    "No answer",
    "Expired",
    "Charter",
    "Met once",
    "30 days+",
)
FUNNEL_NAME_WIDTH = 18
FUNNEL_CELL_WIDTH = 11


def _funnel_cell(funnel: Funnel, stage: str) -> str:
    count = getattr(funnel, stage)
    return f"{count} ({_pct(funnel.rate(stage))})" if stage != "proposed" else str(count)


def _funnel_grid(rows: list[Funnel]) -> list[list[str]]:
    """The funnel as a grid of strings: the headings, then one row per cohort, the workspace
    first (each cell a count of pairs with its share of those proposed)."""
    stages = ["proposed", *(stage for stage, _ in STAGES)]
    grid = [["", *FUNNEL_HEADINGS]]
    for row in rows[: MAX_COHORTS_SHOWN + 2]:
        name = "Whole workspace" if row.scope == "workspace" else row.cohort or "No cohort"
        grid.append([name, *(_funnel_cell(row, stage) for stage in stages)])
    return grid


def funnel_text(rows: list[Funnel]) -> str:
    """The launch funnel as a fixed-width table in a code block: the text fallback of the
    `table` block, for clients and notifications that do not show one."""

    def line(cells: list[str]) -> str:
        name = cells[0]
        name = name if len(name) <= FUNNEL_NAME_WIDTH else name[: FUNNEL_NAME_WIDTH - 1] + "…"
        return name.ljust(FUNNEL_NAME_WIDTH) + "".join(
            c.rjust(FUNNEL_CELL_WIDTH) for c in cells[1:]
        )

    lines = [line(cells) for cells in _funnel_grid(rows)]
    # Backticks in a cohort's name would end the code block early.
    return "```" + "\n".join(lines).replace("`", "'") + "```"


def funnel_table(rows: list[Funnel]) -> dict[str, Any]:
    """The launch funnel as a Block Kit `table` block (slack_sdk's TableBlock checks it):
    cohort names left and wrapped, figures right-aligned."""
    grid = _funnel_grid(rows)
    table = TableBlock(
        rows=[[{"type": "raw_text", "text": cell} for cell in cells] for cells in grid],
        column_settings=[
            TableBlockColumnSettings(is_wrapped=True),
            *(TableBlockColumnSettings(align="right") for _ in grid[0][1:]),
        ],
    )
    return table.to_dict()


def _confirmed(text: str, action_id: str, title: str, question: str, go: str) -> dict[str, Any]:
    confirm = {
        "title": {"type": "plain_text", "text": title},
        "text": {"type": "plain_text", "text": question},
        "confirm": {"type": "plain_text", "text": go},
        "deny": {"type": "plain_text", "text": "Not now"},
    }
    return button(text, action_id, "workspace", confirm=confirm)


def funnel_blocks(rows: list[Funnel]) -> list[dict[str, Any]]:
    """The launch funnel's heading, table, legend and bulk actions (nothing before the first
    proposal; an action only when there is someone to act for)."""
    if not rows or not rows[0].proposed:
        return []
    workspace = rows[0]
    buttons = []
    if workspace.unanswered:
        buttons.append(
            _confirmed(
                "Remind everyone unanswered",
                REMIND_UNANSWERED_ACTION,
                "Remind the unanswered?",
                "Everyone with a proposal still waiting for their answer gets one reminder; "
                "a proposal reminded before is not reminded again.",
                "Remind",
            )
        )
    if workspace.declined:
        buttons.append(
            _confirmed(
                "Declined back to the pool",
                INVITE_DECLINED_ACTION,
                "Back to the matching pool?",
                "People of declined proposals stay in the pool, or are invited to join it "
                "(they choose their topics); anyone who left it themselves is not asked.",
                "Go ahead",
            )
        )
    return [
        section("*Launch funnel*"),
        funnel_table(rows),
        context(
            "Pairs, and their share of those proposed: accepted by both, declined, not answered "
            "yet, expired without an answer; a charter both signed; a first meeting met; a "
            "meeting met 30 days or more after they began. `tandem export --funnel` gives the "
            "same numbers as CSV."
        ),
        *([actions(*buttons)] if buttons else []),
    ]


def overview_message(overview: ProgrammeOverview) -> dict[str, Any]:
    """`/tandem admin cohorts`: each cohort's numbers, trends and feedback count."""
    months = overview.months
    funnel = funnel_blocks(overview.funnels)
    blocks: list[dict[str, Any]] = [
        header("Cohorts"),
        *funnel,
        context(f"Trends by month, {months[0]} to {months[-1]} (one mark a month)."),
    ]
    for numbers in overview.numbers[:MAX_COHORTS_SHOWN]:
        cohort = numbers.cohort
        name = cohort.name if cohort else None
        title = (
            f"*{mrkdwn_escape(cohort.name)}* ({cohort.starts_on:%-d %b %Y} – "
            f"{cohort.ends_on:%-d %b %Y}{', closed' if cohort.closed_at else ''})"
            if cohort
            else "*Pairs in no cohort*"
        )
        lines = [
            title,
            f"{numbers.active} active · {numbers.paused} paused · {numbers.proposed} proposed · "
            f"{numbers.ended} ended",
            *trend_lines(overview.trends.get(name), months),
            *_own_settings_line(cohort),
            _feedback_line(overview.feedback.get(name)),
        ]
        extra = {"accessory": button("Edit", EDIT_COHORT_ACTION, str(cohort.id))} if cohort else {}
        blocks.append(section("\n".join(lines), **extra))
    if len(overview.numbers) > MAX_COHORTS_SHOWN:
        blocks.append(context(f"…and {len(overview.numbers) - MAX_COHORTS_SHOWN} older cohorts."))
    if not overview.numbers:
        blocks.append(section("No cohorts or pairs yet."))
    blocks.append(actions(button("New cohort", NEW_COHORT_ACTION, style="primary")))
    # The message's text is the funnel's fallback, shown where a table block is not.
    text = f"Cohorts\n*Launch funnel*\n{funnel_text(overview.funnels)}" if funnel else "Cohorts"
    return {"text": text, "blocks": checked_message(blocks)}


def feedback_message(feedback: dict[str | None, CohortFeedback]) -> dict[str, Any]:
    """`/tandem admin feedback`: anonymised themes per cohort, or only the count below k."""
    blocks: list[dict[str, Any]] = [
        header("Programme feedback"),
        context(
            "Feedback members sent to the programme only: grouped by kind, month only, names "
            f"removed, and shown once a cohort's entries come from {K_ANONYMITY} different "
            "people."
        ),
    ]
    for cohort in sorted(feedback, key=lambda c: (c is None, c or "")):
        view = feedback[cohort]
        name = mrkdwn_escape(cohort) if cohort else "Pairs in no cohort"
        if not view.shown:
            blocks.append(
                section(
                    f"*{name}*: {view.count} entr{'y' if view.count == 1 else 'ies'}"
                    f" so far; themes show once {K_ANONYMITY} different people have written."
                )
            )
            continue
        blocks.append(section(f"*{name}*: {view.count} entries"))
        for theme in view.themes:
            text = f"_{mrkdwn_escape(theme.label)}_\n" + "\n".join(
                f"• {mrkdwn_escape(entry)} ({month})" for month, entry in theme.entries
            )
            blocks.append(section(text[:SECTION_TEXT_LIMIT]))
        if len(blocks) > 45:
            break
    if len(blocks) == 2:
        blocks.append(section("No programme-only feedback yet."))
    return {"text": "Programme feedback", "blocks": checked_message(blocks[:50])}


def _choice(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def _months(months: int) -> str:
    return "Every month" if months == 1 else f"Every {months} months"


def _select(block_id: str, label: str, choices: list[tuple[str, str]], chosen: str) -> dict:
    options = [_choice(text, value) for value, text in choices]
    initial = next((o for o in options if o["value"] == chosen), options[0])
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "static_select",
            "action_id": "value",
            "options": options,
            "initial_option": initial,
        },
    }


def cohort_settings_blocks(cohort: Cohort | None, workspace: EffectiveSettings) -> list[dict]:
    """The cohort's own cadence, review interval and celebrations channel, each offering the
    workspace's (`workspace`) as the first choice: what an unset value falls back to."""
    cadence = [
        (WORKSPACE_CHOICE, f"Workspace's: {CADENCES[workspace.default_cadence]}"),
        *CADENCES.items(),
    ]
    months = workspace.review_interval_months
    reviews = [
        (WORKSPACE_CHOICE, f"Workspace's: {_months(months).lower()}"),
        *((str(n), _months(n)) for n in range(1, MAX_REVIEW_MONTHS + 1)),
    ]
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "value",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    own_channel = cohort.celebrations_channel if cohort else None
    if own_channel:
        channel["initial_conversation"] = own_channel
    fallback = (
        f"<#{workspace.celebrations_channel}>" if workspace.celebrations_channel else "none set"
    )
    blocks: list[dict[str, Any]] = [
        _select(
            "default_cadence",
            "Default meeting cadence",
            cadence,
            (cohort.default_cadence if cohort else None) or WORKSPACE_CHOICE,
        ),
        _select(
            "review_interval_months",
            "Review together",
            reviews,
            str((cohort.review_interval_months if cohort else None) or WORKSPACE_CHOICE),
        ),
        {
            "type": "input",
            "block_id": "celebrations_channel",
            "optional": True,
            "label": {"type": "plain_text", "text": "Celebrations channel"},
            "hint": {
                "type": "plain_text",
                "text": "Where this cohort's wins are announced. Invite @Tandem. "
                "Empty: the workspace's channel.",
            },
            "element": channel,
        },
    ]
    if own_channel:
        blocks.append(
            {
                "type": "input",
                "block_id": "workspace_channel",
                "optional": True,
                "label": {"type": "plain_text", "text": "Or"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "value",
                    "options": [_choice("Use the workspace's channel instead", "yes")],
                },
            }
        )
    blocks.append(
        context(
            "A new pair's charter starts from the cohort's cadence. The workspace's "
            f"celebrations channel: {fallback}."
        )
    )
    return blocks


def cohort_modal(cohort: Cohort | None, workspace: EffectiveSettings) -> dict[str, Any]:
    """Name, start and end of a new cohort (or of one being edited), and its own settings
    beside the workspace's (`workspace`: the workspace's own settings)."""

    def picker(block_id: str, label: str, value: Any) -> dict[str, Any]:
        element: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
        if value is not None:
            element["initial_date"] = value.isoformat()
        return {
            "type": "input",
            "block_id": block_id,
            "label": {"type": "plain_text", "text": label},
            "element": element,
        }

    name: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "max_length": 80}
    if cohort is not None:
        name["initial_value"] = cohort.name
    blocks = [
        {
            "type": "input",
            "block_id": "name",
            "label": {"type": "plain_text", "text": "Name"},
            "element": name,
        },
        picker("starts_on", "Starts", cohort.starts_on if cohort else None),
        picker("ends_on", "Ends", cohort.ends_on if cohort else None),
        context(
            "The morning after it ends, its pairs are invited to a closing review and "
            "to graduate or continue."
        ),
        *cohort_settings_blocks(cohort, workspace),
    ]
    return modal(
        "Edit cohort" if cohort else "New cohort",
        blocks,
        callback_id=COHORT_CALLBACK,
        submit="Save",
        metadata=cohort.id if cohort else None,  # a new cohort has none
    )

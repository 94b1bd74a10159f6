"""The pairs at risk: a page in `/tandem admin pairs`, a section of the admin's Home, and the
modal to propose a new mentor."""

from typing import Any

from bot.core import slack_time
from bot.core.kit import (
    actions,
    button,
    checked_message,
    context,
    header,
    modal,
    mrkdwn_escape,
    notice_modal,
    section,
)
from bot.programme.service.watch import AtRiskPair

NUDGE_ACTION = "programme.pair.nudge"
PAUSE_ACTION = "programme.pair.pause"
END_ACTION = "programme.pair.end"
NEW_MENTOR_ACTION = "programme.pair.new_mentor"
PAGE_ACTION = "programme.pairs.page"
NEW_MENTOR_CALLBACK = "programme.new_mentor"
PER_PAGE = 10  # two blocks a pair: well within 50 per message
ON_HOME = 5
ACTION_WORDS = {
    "nudge": "nudged",
    "pause": "paused",
    "end": "ended",
    "new_mentor": "proposed a new mentor",
}


def _confirm(title: str, text: str, go: str) -> dict[str, Any]:
    return {
        "title": {"type": "plain_text", "text": title},
        "text": {"type": "plain_text", "text": text},
        "confirm": {"type": "plain_text", "text": go},
        "deny": {"type": "plain_text", "text": "Cancel"},
    }


def _pair_blocks(item: AtRiskPair) -> list[dict[str, Any]]:
    pair_id = str(item.pair.id)
    cohort = f" · {mrkdwn_escape(item.cohort)}" if item.cohort else ""
    lines = [
        f"*<@{item.mentor.user_id}> → <@{item.mentee.user_id}>*{cohort} · {item.pair.status}",
        *(f"• {mrkdwn_escape(reason.text)}" for reason in item.reasons),
    ]
    if item.last_action is not None:
        did = ACTION_WORDS.get(item.last_action.action, item.last_action.action)
        lines.append(
            f"_Last action: <@{item.last_action.admin_user_id}> {did} on "
            f"{slack_time.day(item.last_action.created_at)}_"
        )
    buttons = [
        button("Gentle nudge", NUDGE_ACTION, pair_id),
        button(
            "Propose a new mentor",
            NEW_MENTOR_ACTION,
            pair_id,
        ),
    ]
    if item.pair.status == "active":
        buttons.insert(
            1,
            button(
                "Pause 4 weeks",
                PAUSE_ACTION,
                pair_id,
                confirm=_confirm("Pause this pair?", "No nudges for 4 weeks.", "Pause"),
            ),
        )
    buttons.append(
        button(
            "End",
            END_ACTION,
            pair_id,
            style="danger",
            confirm=_confirm("End this pair?", "Both are told kindly; their history stays.", "End"),
        )
    )
    return [section("\n".join(lines)), actions(*buttons, block_id=f"programme.pair.{pair_id}")]


def at_risk_message(
    items: list[AtRiskPair],
    page: int,
    cohort_id: int | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """One page of the pairs at risk, worst first, with their actions (and what was just done)."""
    pages = max(1, -(-len(items) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    top = [header("Pairs at risk"), *([section(notice)] if notice else [])]
    if not items:
        text = "No pairs at risk right now. 🎉"
        return {"text": notice or text, "blocks": checked_message([*top, section(text)])}
    first = page * PER_PAGE
    blocks: list[dict[str, Any]] = [
        *top,
        context(
            f"{len(items)} pair(s), worst first. Showing {first + 1}–"
            f"{min(first + PER_PAGE, len(items))}. Admins see states, dates and reasons, "
            "never what a pair wrote."
        ),
    ]
    for item in items[first : first + PER_PAGE]:
        blocks += _pair_blocks(item)
    nav = []
    scope = "" if cohort_id is None else str(cohort_id)
    if page > 0:
        nav.append(button("◀ Previous", f"{PAGE_ACTION}.prev", f"{page - 1}:{scope}"))
    if page < pages - 1:
        nav.append(button("Next ▶", f"{PAGE_ACTION}.next", f"{page + 1}:{scope}"))
    if nav:
        blocks.append(actions(*nav, block_id=f"programme.pairs.nav.{page}"))
    text = notice or f"{len(items)} pair(s) at risk"
    return {"text": text, "blocks": checked_message(blocks)}


def home_section(items: list[AtRiskPair]) -> list[dict[str, Any]]:
    """The admin's Home: the worst few pairs at risk, with their actions."""
    blocks: list[dict[str, Any]] = [header("Pairs at risk")]
    if not items:
        return [*blocks, section("No pairs at risk right now. 🎉")]
    for item in items[:ON_HOME]:
        blocks += _pair_blocks(item)
    if len(items) > ON_HOME:
        blocks.append(context(f"{len(items) - ON_HOME} more: `/tandem admin pairs`."))
    return blocks


def new_mentor_modal(item_pair_id: int, mentee_user_id: str) -> dict[str, Any]:
    """Choose the mentor to propose to this pair's mentee."""
    blocks = [
        section(
            f"Who should mentor <@{mentee_user_id}> instead? Both are asked to accept; "
            "the current pair carries on until you end it."
        ),
        {
            "type": "input",
            "block_id": "mentor",
            "label": {"type": "plain_text", "text": "New mentor"},
            "element": {"type": "users_select", "action_id": "value"},
        },
    ]
    return modal(
        "Propose a new mentor",
        blocks,
        callback_id=NEW_MENTOR_CALLBACK,
        submit="Propose",
        metadata=item_pair_id,
    )


def done_modal(message: str) -> dict[str, Any]:
    """The confirmation shown in place of a modal once its action is done."""
    return notice_modal(message, "Done")

"""The "Celebrate a win" modal, and what the person who celebrated is told."""

from typing import Any

from bot.core.kit import context, modal, mrkdwn_escape
from bot.core.membership import Membership
from bot.core.picker import pair_label, pair_picker_block
from bot.goals.blocks.inputs import input_block, text_input
from bot.goals.win_rules import WIN_LIMIT
from storage.models.goals import ShareStatus

WIN_CALLBACK = "goal.win"
WIN_BLOCK = "win.text"
# Home's "Celebrate a win" button (its value: the pair).
CELEBRATE_ACTION = "home.celebrate"


def win_modal(choices: list[Membership], text: str = "") -> dict[str, Any]:
    """The modal for a win outside any goal: for the one pair in `choices`, or with a picker."""
    blocks: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {}
    if len(choices) == 1:
        metadata["pair"] = choices[0].pair.id
        blocks.append(
            context(f"Celebrating {mrkdwn_escape(pair_label(choices[0]))}, in your group DM.")
        )
    else:
        blocks.append(pair_picker_block(choices))
    element = text_input(
        WIN_LIMIT, "A new job, a talk given, a hard conversation handled…", multiline=True
    )
    if text:
        element["initial_value"] = text[:WIN_LIMIT]
    blocks.append(
        input_block(
            WIN_BLOCK,
            "What's the win?",
            element,
            hint="Your partner sees it in your group DM. The celebrations channel only if "
            "you say yes (or your charter says always).",
        )
    )
    return modal(
        "Celebrate a win", blocks, callback_id=WIN_CALLBACK, submit="Celebrate", metadata=metadata
    )


def celebrated_text(membership: Membership, share_status: str, channel: str | None) -> str:
    """What the person who celebrated is told (privately), with where else it is going."""
    text = f"🎉 Celebrated with <@{membership.partner.user_id}> in your group DM."
    if share_status == ShareStatus.ASKED:
        text += f" Share it in <#{channel}> too? I've sent you a DM to answer."
    elif share_status in (ShareStatus.SHARING, ShareStatus.SHARED):
        text += f" Your charter says to always share wins, so it's going to <#{channel}> too."
    return text

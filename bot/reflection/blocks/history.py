"""`/tandem review history`: past reviews, stages and closing words, for the member only."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.kit import checked_message, context, divider, mrkdwn_escape, section
from bot.core.membership import Membership
from bot.core.picker import pair_label
from bot.core.slack_time import zone_named
from bot.reflection.blocks.common import name_of, quoted
from bot.reflection.blocks.review import Seen, answers_blocks
from bot.reflection.blocks.stage import STAGE_LABELS
from storage.models import Retrospective, StageChange

Entry = tuple[Membership, Sequence[Seen], Sequence[StageChange], Sequence[Retrospective]]
NOTHING = "No reviews or closing words yet. `/tandem review` starts a review."


def when(instant: datetime | None, zone: ZoneInfo) -> str:
    """A date every reader sees in their own timezone; where Slack shows the fallback, the
    date in `zone` (the reader's: the answer has one reader)."""
    if instant is None:
        return ""
    return f"<!date^{int(instant.timestamp())}^{{date_short}}|{instant.astimezone(zone):%Y-%m-%d}>"


def _state(membership: Membership, zone: ZoneInfo) -> str:
    pair = membership.pair
    if pair.end_kind == "graduate":
        return f"graduated {when(pair.ended_at, zone)}"
    if pair.status == "ended":
        return f"closed {when(pair.ended_at, zone)}"
    return pair.status


def _closing(membership: Membership, retro: Retrospective) -> str:
    mine = retro.person_id == membership.me.id
    who = "You" if mine else name_of(membership.partner)
    parts = [f"*{who}* ({'graduated' if retro.kind == 'graduate' else 'closed'}):"]
    if retro.reflection:
        parts.append(quoted(retro.reflection, 800))
    if retro.thank_you:
        parts.append(f"_Thank-you:_\n{quoted(retro.thank_you, 800)}")
    if mine and retro.private_reason:
        parts.append(
            f"_Your private reason (only you see this):_\n{quoted(retro.private_reason, 500)}"
        )
    return "\n".join(parts)


def _pair_blocks(entry: Entry) -> list[dict[str, Any]]:
    membership, reviews, stages, retros = entry
    zone = zone_named(membership.me.tz)  # the reader's
    blocks = [
        section(
            f"*Mentorship {mrkdwn_escape(pair_label(membership))}* · {_state(membership, zone)}"
        )
    ]
    if stages:
        moves = ", ".join(
            f"{STAGE_LABELS.get(s.to_stage, s.to_stage)} {when(s.changed_at, zone)}" for s in stages
        )
        blocks.append(context(f"Stages: {moves}"))
    for seen in reviews:
        blocks.append(
            context(f"Review round {seen.review.round}, {when(seen.review.completed_at, zone)}")
        )
        blocks += answers_blocks(seen)
    for retro in retros:
        blocks.append(section(_closing(membership, retro)))
    return blocks


def history_message(entries: Sequence[Entry]) -> dict[str, Any]:
    """The ephemeral history answer; fits Slack's 50 blocks by showing fewer rounds if needed."""
    blocks: list[dict[str, Any]] = []
    for entry in entries:
        pair_blocks = _pair_blocks(entry)
        if len(blocks) + len(pair_blocks) + 1 > 49:
            blocks.append(context("Older mentorships are not shown."))
            break
        if blocks:
            blocks.append(divider())
        blocks += pair_blocks
    if not entries:
        return {"text": NOTHING}
    return {"text": "Your reviews and closing words", "blocks": checked_message(blocks)}

"""Pairing's part of the App Home: proposals waiting for the person's Accept or Decline, and
the mentorships they had (Past mentorships), kept after the end."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.kit import actions, button, context, section
from bot.core.membership import Membership
from bot.core.slack_time import zone_named
from bot.pairs.blocks import (
    ACCEPT_ACTION,
    DECLINE_ACTION,
    KEEP_IN_TOUCH_HINT,
    keep_in_touch_button,
)
from bot.pairs.keep_in_touch_blocks import CATCH_UP_ACTION
from bot.pairs.keep_in_touch_rules import both_chose, next_check_in
from storage.models import PairStatus
from storage.queries.home import review_outcomes

# Past mentorships take at most 3 blocks each; the newest few, the rest in the history.
MAX_PAST_SHOWN = 3
ENDINGS = {
    "graduate": "graduated 🎓",
    "close": "closed",
    "left": "closed (left the workspace)",
}


def proposals_to_answer(
    session: Session, mine: list[Membership], now: datetime
) -> list[dict[str, Any]]:
    """For "waiting on you": each proposed pair the person has not accepted yet, with Accept and
    Decline (read from the pairs already in hand: no statement)."""
    items: list[dict[str, Any]] = []
    for membership in mine:
        pair, partner = membership.pair, f"<@{membership.partner.user_id}>"
        if pair.status != PairStatus.PROPOSED:
            continue
        accepted = (
            pair.mentor_accepted_at if membership.role == "mentor" else pair.mentee_accepted_at
        )
        if accepted is None:
            items.append(section(f"Accept or decline pairing with {partner}"))
            items.append(
                actions(
                    button("Accept", ACCEPT_ACTION, str(pair.id), style="primary"),
                    button("Decline", DECLINE_ACTION, str(pair.id)),
                    block_id=f"home.proposal.{pair.id}",
                )
            )
    return items


def _day(instant: datetime | None, zone: ZoneInfo) -> str:
    """A date every reader sees in their own timezone; the fallback is the date in `zone`,
    the reader's (Home has one reader)."""
    if instant is None:
        return "?"
    return f"<!date^{int(instant.timestamp())}^{{date_short}}|{instant.astimezone(zone):%Y-%m-%d}>"


def _reviews_line(outcomes: list[tuple[Any, list[str]]], zone: ZoneInfo) -> str:
    """The review history as dates and outcomes: never a word anyone wrote."""
    rounds = []
    for review, decisions in outcomes:
        if review.completed_at is not None:
            said = " / ".join(dict.fromkeys(decisions)) or "answered"
            rounds.append(f"{_day(review.completed_at, zone)} both answered ({said})")
        else:
            rounds.append(f"{_day(review.opened_at, zone)} not completed")
    return "Reviews: " + ("; ".join(rounds) if rounds else "none")


def _keeping_in_touch(
    membership: Membership, now: datetime, zone: ZoneInfo
) -> list[dict[str, Any]]:
    """Where the keep-in-touch choice stands for this person, with the button to change it."""
    pair = membership.pair
    upcoming = next_check_in(pair.ended_at or now, now)
    if pair.end_kind != "graduate" or upcoming is None or membership.partner.deleted:
        return []
    mine = getattr(pair, f"{membership.role}_keeps_in_touch_at") is not None
    buttons = [keep_in_touch_button(pair.id, mine)]
    if both_chose(pair.mentor_keeps_in_touch_at, pair.mentee_keeps_in_touch_at):
        said = f"You both chose to keep in touch: next check-in {_day(upcoming, zone)}."
        buttons.insert(0, button("Plan a catch-up", CATCH_UP_ACTION, str(pair.id)))
    elif mine:
        said = (
            "You chose to keep in touch; the check-ins start if "
            f"<@{membership.partner.user_id}> chooses it too."
        )
    else:
        said = KEEP_IN_TOUCH_HINT
    return [
        context(said),
        actions(*buttons, block_id=f"home.past.keep.{pair.id}"),
    ]


def past_mentorships(
    session: Session, ended: list[Membership], now: datetime
) -> list[dict[str, Any]]:
    """Past mentorships: partner, dates, how it ended, the review history (dates and
    outcomes), and "keep in touch" for graduates; newest first (two statements in all)."""
    past = sorted(
        (m for m in ended if m.pair.activated_at is not None),
        key=lambda m: m.pair.ended_at or m.pair.created_at,
        reverse=True,
    )
    if not past:
        return []
    shown = past[:MAX_PAST_SHOWN]
    reviews = review_outcomes(session, [m.pair.id or 0 for m in shown])
    blocks = [section("*Past mentorships*")]
    for membership in shown:
        pair = membership.pair
        role = "you mentored them" if membership.role == "mentor" else "they mentored you"
        how = ENDINGS.get(pair.end_kind or "", "closed")
        zone = zone_named(membership.me.tz)  # the reader's
        lines = [
            f"*With <@{membership.partner.user_id}>* ({role}) · "
            f"{_day(pair.activated_at, zone)} – {_day(pair.ended_at, zone)} · {how}",
            _reviews_line(reviews.get(pair.id or 0, []), zone),
        ]
        blocks.append(section("\n".join(lines), block_id=f"home.past.{pair.id}"))
        blocks += _keeping_in_touch(membership, now, zone)
    if len(past) > MAX_PAST_SHOWN:
        blocks.append(
            context(
                f"The {MAX_PAST_SHOWN} most recent of {len(past)}; "
                "`/tandem review history` has them all."
            )
        )
    return blocks

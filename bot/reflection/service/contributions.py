"""Giving back: logging what one member shares with the other, and counting both ways."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.membership import Membership
from bot.core.results import FieldErrors, Refused
from bot.delivery.service import dm_member
from bot.reflection.access import member_for_draft
from bot.reflection.blocks.contributions import shared_message
from bot.reflection.contribution_rules import KIND_LABELS, TEXT_LIMIT, guess_kind, plain_links
from bot.reflection.feedback_rules import text_problem
from storage.models import Contribution
from storage.queries.reflection import contribution_givers


@dataclass(frozen=True)
class ShareCounts:
    """Contributions in both directions, from one member's point of view."""

    given: int
    received: int


def share_counts(session: Session, membership: Membership) -> ShareCounts:
    """How much `membership.me` gave the partner, and received from them, ever."""
    givers: Counter[int] = contribution_givers(session, membership.pair.id or 0)
    return ShareCounts(givers[membership.me.id or 0], givers[membership.partner.id or 0])


@dataclass(frozen=True)
class Shared:
    """A contribution logged (and queued to the partner), with the counts after it."""

    contribution: Contribution
    membership: Membership
    counts: ShareCounts


def share_in_pair(
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    kind: str | None,
    text: str | None,
    now: datetime,
) -> Shared | FieldErrors | Refused:
    """`share` for the pair chosen in a modal, if `user_id` is one of its members."""
    choose = "Choose who you are sharing with."
    membership = member_for_draft(session, team_id, user_id, pair_id, choose)
    if not isinstance(membership, Membership):
        return membership
    return share(session, membership, kind, text, now)


def share(
    session: Session, membership: Membership, kind: str | None, text: str | None, now: datetime
) -> Shared | FieldErrors:
    """Log what `membership.me` gave their partner, and queue it to the partner by DM."""
    text = plain_links(text or "").strip()
    errors: dict[str, str] = {}
    problem = text_problem(text, TEXT_LIMIT, "what you shared")
    if problem:
        errors["text"] = problem
    kind = kind or guess_kind(text)
    if kind not in KIND_LABELS:
        errors["kind"] = "Choose what kind of thing you shared."
    if errors:
        return FieldErrors(errors)
    contribution = Contribution(
        team_id=membership.pair.team_id,
        pair_id=membership.pair.id,
        giver_id=membership.me.id,
        receiver_id=membership.partner.id,
        kind=kind,
        text=text,
        created_at=now,
    )
    session.add(contribution)
    session.flush()
    message, blocks = shared_message(contribution, membership)
    dm_member(
        session,
        membership.partner.user_id,
        key=f"share:{contribution.id}",
        kind="reflection.share",
        text=message,
        blocks=blocks,
        deliver_after=now,
        pair=membership.pair,
    )
    return Shared(contribution, membership, share_counts(session, membership))

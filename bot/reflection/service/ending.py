"""Ending well: graduate (goals met) or close, a closing reflection, a thank-you, quiet after.

Ending is one member's decision. It stops every nudge: the pair's status is `ended`, its
due columns are cleared, and every message still queued for it is cancelled (producers skip
ended pairs). The partner is told by DM and may add their own closing words. Everything
stays in the database for the members' history; a private reason for closing is kept for
its author alone. The same two people can start again with `/tandem pair`, which makes a
new pair with a new charter (only open pairs must be unique).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.membership import Membership
from bot.core.results import FieldErrors, Refused
from bot.delivery.service import dm_member
from bot.pairs.service import close_pair
from bot.reflection.access import ENDED, member_for_draft, member_of
from bot.reflection.blocks import ending as ending_blocks
from storage.models import PairStatus, Retrospective
from storage.queries.reflection import retrospective_of

END_KINDS = ("graduate", "close")
TEXT_LIMIT = 3000


@dataclass(frozen=True)
class EndDraft:
    """What the end modal submitted (None for anything left empty)."""

    pair_id: int | None
    how: str | None
    reflection: str | None
    thank_you: str | None
    reason: str | None


def _errors(draft: EndDraft) -> dict[str, str]:
    errors = {}
    if draft.how not in END_KINDS:
        errors["how"] = "Choose Graduate or Close."
    if draft.how == "graduate" and draft.reason:
        errors["reason"] = "A private reason is only for closing: clear it, or choose Close."
    for field in ("reflection", "thank_you", "reason"):
        value = getattr(draft, field) or ""
        if len(value.strip()) > TEXT_LIMIT:
            errors[field] = f"Please keep it under {TEXT_LIMIT} characters."
    return errors


def end_pair(
    session: Session, team_id: str, user_id: str, draft: EndDraft, now: datetime
) -> Membership | FieldErrors | Refused:
    """End the pair for both members; the partner hears of it (and the thank-you) by DM."""
    choose = "Choose which mentorship to end."
    membership = member_for_draft(session, team_id, user_id, draft.pair_id, choose, _errors(draft))
    if not isinstance(membership, Membership):
        return membership
    pair = membership.pair
    session.refresh(pair, with_for_update=True)  # both ending at once: the second is told
    if pair.status == PairStatus.ENDED:
        return Refused(ENDED)
    close_pair(session, pair, draft.how or "close", now)
    session.add(
        Retrospective(
            team_id=team_id,
            pair_id=pair.id,
            person_id=membership.me.id,
            kind=draft.how or "",
            reflection=(draft.reflection or "").strip(),
            thank_you=(draft.thank_you or "").strip(),
            private_reason=(draft.reason or "").strip() if draft.how == "close" else "",
            created_at=now,
        )
    )
    session.flush()
    text, blocks = ending_blocks.ended_message(membership, (draft.thank_you or "").strip())
    _dm(session, membership, f"end:{pair.id}", text, blocks, now)
    return membership


def closing_note(
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    reflection: str | None,
    thank_you: str | None,
    now: datetime,
) -> Membership | FieldErrors | Refused:
    """The other member's closing words after an ending; a thank-you goes to the partner."""
    membership = member_of(session, team_id, user_id, pair_id, (PairStatus.ENDED,))
    if isinstance(membership, Refused):
        return membership
    reflection, thank_you = (reflection or "").strip(), (thank_you or "").strip()
    if not reflection and not thank_you:
        return FieldErrors({"thank_you": "Write a closing reflection, a thank-you, or both."})
    for field, value in (("reflection", reflection), ("thank_you", thank_you)):
        if len(value) > TEXT_LIMIT:
            return FieldErrors({field: f"Please keep it under {TEXT_LIMIT} characters."})
    if _retrospective(session, membership) is not None:
        return Refused(ending_blocks.ALREADY_CLOSED)
    try:
        with session.begin_nested():
            session.add(
                Retrospective(
                    team_id=team_id,
                    pair_id=membership.pair.id,
                    person_id=membership.me.id,
                    kind=membership.pair.end_kind or "close",
                    reflection=reflection,
                    thank_you=thank_you,
                    created_at=now,
                )
            )
    except IntegrityError:
        return Refused(ending_blocks.ALREADY_CLOSED)
    if thank_you:
        text, blocks = ending_blocks.thank_you_message(membership, thank_you)
        _dm(
            session,
            membership,
            f"end.thanks:{membership.pair.id}:{membership.me.id}",
            text,
            blocks,
            now,
        )
    return membership


def _retrospective(session: Session, membership: Membership) -> Retrospective | None:
    return retrospective_of(session, membership.pair.id or 0, membership.me.id or 0)


def _dm(
    session: Session, sender: Membership, key: str, text: str, blocks: list, now: datetime
) -> None:
    dm_member(
        session,
        sender.partner.user_id,
        key=key,
        kind="reflection.ending",
        text=text,
        blocks=blocks,
        deliver_after=now,
        pair=sender.pair,
    )

"""Feedback both ways: written any time or when prompted, for the partner or the programme only.

Feedback for the partner is sent to them by DM (with Thanks and Reply); feedback for the
programme is never shown to the partner. Nobody but the two members ever sees the text.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.kit import notice_modal
from bot.core.membership import Membership, Refusals, guard
from bot.core.results import FieldErrors, MessageEdit, Refused, Reply, Result
from bot.delivery.service import dm_member
from bot.reflection.access import NOT_YOURS, member_for_draft, member_of
from bot.reflection.blocks import feedback as feedback_blocks
from bot.reflection.blocks.common import name_of
from bot.reflection.feedback_rules import KINDS_BY_ROLE, VISIBILITY_LABELS, text_problem
from storage.models import Feedback, Goal, PairStatus
from storage.queries.reflection import feedback_by_id

NOT_FOUND = "I couldn't find that feedback among yours."


@dataclass(frozen=True)
class FeedbackDraft:
    """What the feedback modal submitted (None for anything left empty)."""

    pair_id: int | None
    kind: str | None
    text: str | None
    goal_id: int | None
    visibility: str | None


@dataclass(frozen=True)
class FeedbackSaved:
    """Feedback stored (and, for the partner, queued to them)."""

    feedback: Feedback
    membership: Membership


def _validate(
    session: Session, membership: Membership, draft: FeedbackDraft
) -> tuple[str, dict[str, str]]:
    errors: dict[str, str] = {}
    allowed = KINDS_BY_ROLE[membership.role]
    kind = draft.kind or (allowed[0] if len(allowed) == 1 else None)
    if kind is None:
        errors["kind"] = "Choose what your feedback is about."
    elif kind not in allowed:
        errors["kind"] = "That kind is for mentees to their mentor; choose General feedback."
    problem = text_problem(draft.text)
    if problem:
        errors["text"] = problem
    if draft.goal_id is not None:
        goal = session.get(Goal, draft.goal_id)
        if goal is None or goal.pair_id != membership.pair.id:
            errors["goal"] = "That goal belongs to another pair: choose one of this pair's goals."
    if draft.visibility not in VISIBILITY_LABELS:
        errors["visibility"] = "Choose who may see your feedback."
    return kind or "", errors


def give_feedback(
    session: Session, team_id: str, user_id: str, draft: FeedbackDraft, now: datetime
) -> FeedbackSaved | FieldErrors | Refused:
    """Save feedback from `user_id` in the chosen pair; to the partner, it is queued as a DM."""
    choose = "Choose which pair this feedback is about."
    membership = member_for_draft(session, team_id, user_id, draft.pair_id, choose)
    if not isinstance(membership, Membership):
        return membership
    kind, errors = _validate(session, membership, draft)
    if errors:
        return FieldErrors(errors)
    feedback = Feedback(
        team_id=team_id,
        pair_id=membership.pair.id,
        author_id=membership.me.id,
        kind=kind,
        text=(draft.text or "").strip(),
        goal_id=draft.goal_id,
        visibility=draft.visibility or "",
        created_at=now,
    )
    session.add(feedback)
    session.flush()
    if feedback.visibility == "partner":
        goal = session.get(Goal, feedback.goal_id) if feedback.goal_id else None
        text, blocks = feedback_blocks.feedback_message(feedback, membership, goal)
        _dm(
            session, membership, f"feedback:{feedback.id}", "reflection.feedback", text, blocks, now
        )
    return FeedbackSaved(feedback, membership)


def _dm(
    session: Session,
    sender: Membership,
    key: str,
    kind: str,
    text: str,
    blocks: list,
    now: datetime,
) -> None:
    """Queue a DM from Tandem to `sender`'s partner."""
    dm_member(
        session,
        sender.partner.user_id,
        key=key,
        kind=kind,
        text=text,
        blocks=blocks,
        deliver_after=now,
        pair=sender.pair,
    )


def _dm_now(session: Session, feedback: Feedback, recipient: Membership) -> tuple[str, list]:
    """The recipient's DM of `feedback` as it now stands (thanked, replied)."""
    author = Membership(recipient.pair, recipient.partner, recipient.me)
    goal = session.get(Goal, feedback.goal_id) if feedback.goal_id else None
    return feedback_blocks.feedback_message(feedback, author, goal)


def _replaced(message: tuple[str, list]) -> Reply:
    """The clicked DM replaced by `message`, and the DM that was queued sent."""
    text, blocks = message
    return Reply(update={"text": text, "blocks": blocks}, replace_original=True, queued=True)


def received_feedback(
    session: Session, team_id: str, user_id: str, feedback_id: int | None
) -> tuple[Feedback, Membership] | Refused:
    """Feedback sent to `user_id` by their partner, with their membership of that pair.

    Anyone else (the author, an outsider, feedback kept for the programme) gets the same
    "not found", so nothing is learnt from guessing ids.
    """
    feedback = feedback_by_id(session, team_id, feedback_id) if feedback_id else None
    if feedback is None or feedback.visibility != "partner":
        return Refused(NOT_FOUND)
    membership = guard(session, team_id, user_id, feedback.pair_id, Refusals(NOT_FOUND))
    if isinstance(membership, Refused) or membership.me.id == feedback.author_id:
        return Refused(NOT_FOUND)
    return feedback, membership


def thank_for_feedback(
    session: Session, team_id: str, user_id: str, feedback_id: int | None, now: datetime
) -> Result:
    """The recipient says thanks: recorded once, the author hears of it by DM, and the DM
    clicked in shows it."""
    found = received_feedback(session, team_id, user_id, feedback_id)
    if isinstance(found, Refused):
        return found
    feedback, membership = found
    session.refresh(feedback, with_for_update=True)  # a double click thanks once
    if feedback.thanked_at is None:
        feedback.thanked_at = now
        session.add(feedback)
        text, blocks = feedback_blocks.thanks_message(feedback, membership)
        _dm(
            session,
            membership,
            f"feedback.thanks:{feedback.id}",
            "reflection.thanks",
            text,
            blocks,
            now,
        )
    return _replaced(_dm_now(session, feedback, membership))


def reply_to_feedback(
    session: Session,
    team_id: str,
    user_id: str,
    feedback_id: int | None,
    reply: str | None,
    now: datetime,
    answered_at: tuple[str, str] | None = None,
) -> Result:
    """The recipient answers; the reply goes back to the author by DM (one reply each), and
    the DM it answers (`answered_at`: its channel and ts) is refreshed to show the reply."""
    found = received_feedback(session, team_id, user_id, feedback_id)
    if isinstance(found, Refused):
        return found
    feedback, membership = found
    session.refresh(feedback, with_for_update=True)  # two submits: the first reply stands
    if feedback.replied_at is not None:
        return Refused("You already replied to this feedback; your reply was sent.")
    problem = text_problem(reply, what="reply")
    if problem:
        return FieldErrors({"reply": problem})
    feedback.reply = (reply or "").strip()
    feedback.replied_at = now
    session.add(feedback)
    text, blocks = feedback_blocks.reply_message(feedback, membership)
    _dm(session, membership, f"feedback.reply:{feedback.id}", "reflection.reply", text, blocks, now)
    refresh = None
    if answered_at is not None:
        refresh = MessageEdit(*answered_at, *_dm_now(session, feedback, membership))
    partner = name_of(membership.partner)
    done = notice_modal(f"Your reply is on its way to {partner}.", "Reply")
    return Reply(modal=done, edit=refresh, queued=True)


def ask_for_feedback(
    session: Session, team_id: str, user_id: str, pair_id: int | None, now: datetime
) -> Result:
    """A mentor asks the mentee "how can I support you better?" (at most once a day); the
    prompt clicked in says so."""
    membership = member_of(session, team_id, user_id, pair_id, (PairStatus.ACTIVE,))
    if isinstance(membership, Refused):
        return membership
    if membership.role != "mentor":
        return Refused(NOT_YOURS)
    text, blocks = feedback_blocks.ask_message(membership)
    key = f"feedback.ask:{membership.pair.id}:{now:%Y%m%d}"
    _dm(session, membership, key, "reflection.ask", text, blocks, now)
    return _replaced(("You asked for feedback.", feedback_blocks.asked_blocks(membership)))

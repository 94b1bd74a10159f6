"""Reflection's modal submissions: feedback, replies, sharing, reviews, ending, closing words.

Each submission is read into a draft and handed to one use case; the modal then says what
happened (or shows field errors, and nothing is saved).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session

from bot.core.ids import parse_id, read_metadata
from bot.core.kit import notice_modal
from bot.core.modal_state import ModalState
from bot.core.picker import picked_pair_id
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.reflection.blocks.common import field_value
from bot.reflection.blocks.contributions import shared_text
from bot.reflection.blocks.ending import ended_view
from bot.reflection.blocks.feedback import feedback_sent_text
from bot.reflection.blocks.review import results_view, waiting_view
from bot.reflection.service.contributions import share_in_pair
from bot.reflection.service.ending import EndDraft, closing_note, end_pair
from bot.reflection.service.feedback import FeedbackDraft, give_feedback, reply_to_feedback
from bot.reflection.service.reviews import ReviewDraft, answer_review, review_outcome

Done = TypeVar("Done")
CLOSING_WORDS_SAVED = "Thank you. Your closing words are saved."


def _pair_id(view: dict[str, Any], values: ModalState) -> int | None:
    return parse_id(read_metadata(view).get("pair")) or picked_pair_id(values)


def _told(result: Done | FieldErrors | Refused, modal: Callable[[Done], dict[str, Any]]) -> Result:
    """Field errors and refusals as they are; else the modal saying what was done (and the
    messages the use case queued go out)."""
    if isinstance(result, FieldErrors | Refused):
        return result
    return Reply(modal=modal(result), queued=True)


def submit_feedback(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Result:
    """The feedback modal."""
    draft = FeedbackDraft(
        pair_id=_pair_id(view, values),
        kind=field_value(values, "kind"),
        text=field_value(values, "text"),
        goal_id=parse_id(field_value(values, "goal")),
        visibility=field_value(values, "visibility"),
    )
    saved = give_feedback(session, team_id, user_id, draft, now)
    return _told(
        saved, lambda s: notice_modal(feedback_sent_text(s.membership, s.feedback), "Feedback")
    )


def submit_reply(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Result:
    """The reply to feedback; the DM it answers is refreshed to show the reply."""
    metadata = read_metadata(view)
    channel, ts = metadata.get("channel"), metadata.get("ts")
    answered_at = None
    if isinstance(channel, str) and isinstance(ts, str) and channel and ts:
        answered_at = (channel, ts)
    return reply_to_feedback(
        session,
        team_id,
        user_id,
        parse_id(metadata.get("feedback")),
        field_value(values, "reply"),
        now,
        answered_at,
    )


def submit_share(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Result:
    """The share modal."""
    shared = share_in_pair(
        session,
        team_id,
        user_id,
        _pair_id(view, values),
        field_value(values, "kind"),
        field_value(values, "text"),
        now,
    )
    return _told(
        shared,
        lambda s: notice_modal(shared_text(s.membership, s.contribution.kind, s.counts), "Shared"),
    )


def submit_review(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Result:
    """The review modal: "waiting for your partner", or both answers when they are in."""
    draft = ReviewDraft(
        pair_id=_pair_id(view, values),
        review_id=parse_id(read_metadata(view).get("review")),
        value=field_value(values, "value"),
        time=field_value(values, "time"),
        goals=field_value(values, "goals"),
        decision=field_value(values, "decision"),
        note=field_value(values, "note"),
    )
    seen = answer_review(session, team_id, user_id, draft, now)
    return _told(
        seen,
        lambda s: (
            results_view(s, *review_outcome(session, s, now)) if s.complete else waiting_view(s)
        ),
    )


def submit_end(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Result:
    """The end modal: Graduate or Close."""
    draft = EndDraft(
        pair_id=_pair_id(view, values),
        how=field_value(values, "how"),
        reflection=field_value(values, "reflection"),
        thank_you=field_value(values, "thank_you"),
        reason=field_value(values, "reason"),
    )
    ended = end_pair(session, team_id, user_id, draft, now)
    return _told(ended, lambda membership: ended_view(membership, bool(draft.thank_you)))


def submit_closing_note(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Result:
    """The partner's closing words after an ending."""
    result = closing_note(
        session,
        team_id,
        user_id,
        _pair_id(view, values),
        field_value(values, "reflection"),
        field_value(values, "thank_you"),
        now,
    )
    return _told(result, lambda _: notice_modal(CLOSING_WORDS_SAVED, "Closing words"))

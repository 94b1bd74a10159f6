"""Modal submissions of reflection: feedback, replies, sharing, reviews, ending, closing words.

Each submission is parsed into a draft, handed to one service in bot.reflection, and the
modal is then updated to say what happened (or shows field errors, and nothing is saved).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id, read_metadata
from bot.core.modal_state import ModalState
from bot.core.picker import picked_pair_id
from bot.core.results import FieldErrors, Refused
from bot.reflection.blocks.common import field_value, name_of, notice_view
from bot.reflection.blocks.contributions import SHARE_CALLBACK, shared_text
from bot.reflection.blocks.ending import END_CALLBACK, NOTE_CALLBACK, ended_text
from bot.reflection.blocks.feedback import FEEDBACK_CALLBACK, REPLY_CALLBACK, feedback_sent_text
from bot.reflection.blocks.review import REVIEW_CALLBACK, results_view, waiting_view
from bot.reflection.service.contributions import share_in_pair
from bot.reflection.service.ending import EndDraft, closing_note, end_pair
from bot.reflection.service.feedback import FeedbackDraft, give_feedback, reply_to_feedback
from bot.reflection.service.reviews import ReviewDraft, answer_review, review_outcome
from handlers.safety import guarded

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    """The view to show next, and a message (channel, ts, text, blocks) to refresh, if any."""

    view: dict[str, Any]
    refresh: tuple[str, str, str, list] | None = None


Outcome = Done | FieldErrors | Refused
Work = Callable[[Session, str, str, dict[str, Any], ModalState, datetime], Outcome]


def _pair_id(view: dict[str, Any], values: ModalState) -> int | None:
    return parse_id(read_metadata(view).get("pair")) or picked_pair_id(values)


def submit_feedback(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Outcome:
    """The feedback modal."""
    draft = FeedbackDraft(
        pair_id=_pair_id(view, values),
        kind=field_value(values, "kind"),
        text=field_value(values, "text"),
        goal_id=parse_id(field_value(values, "goal")),
        visibility=field_value(values, "visibility"),
    )
    saved = give_feedback(session, team_id, user_id, draft, now)
    if isinstance(saved, FieldErrors | Refused):
        return saved
    return Done(notice_view("Feedback", feedback_sent_text(saved.membership, saved.feedback)))


def submit_reply(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Outcome:
    """The reply to feedback; the DM it answers is refreshed to show the reply."""
    metadata = read_metadata(view)
    result = reply_to_feedback(
        session,
        team_id,
        user_id,
        parse_id(metadata.get("feedback")),
        field_value(values, "reply"),
        now,
    )
    if isinstance(result, FieldErrors | Refused):
        return result
    refresh = None
    channel, ts = metadata.get("channel"), metadata.get("ts")
    if isinstance(channel, str) and isinstance(ts, str) and channel and ts:
        refresh = (channel, ts, *result.message)
    partner = name_of(result.membership.partner)
    return Done(notice_view("Reply", f"Your reply is on its way to {partner}."), refresh)


def submit_share(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Outcome:
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
    if isinstance(shared, FieldErrors | Refused):
        return shared
    text = shared_text(shared.membership, shared.contribution.kind, shared.counts)
    return Done(notice_view("Shared", text))


def submit_review(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Outcome:
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
    if isinstance(seen, FieldErrors | Refused):
        return seen
    if not seen.complete:
        return Done(waiting_view(seen))
    return Done(results_view(seen, *review_outcome(session, seen, now)))


def submit_end(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Outcome:
    """The end modal: Graduate or Close."""
    draft = EndDraft(
        pair_id=_pair_id(view, values),
        how=field_value(values, "how"),
        reflection=field_value(values, "reflection"),
        thank_you=field_value(values, "thank_you"),
        reason=field_value(values, "reason"),
    )
    ended = end_pair(session, team_id, user_id, draft, now)
    if isinstance(ended, FieldErrors | Refused):
        return ended
    return Done(notice_view("Mentorship ended", ended_text(ended, bool(draft.thank_you))))


def submit_closing_note(
    session: Session, team_id: str, user_id: str, view: dict, values: ModalState, now: datetime
) -> Outcome:
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
    if isinstance(result, FieldErrors | Refused):
        return result
    return Done(notice_view("Closing words", "Thank you. Your closing words are saved."))


def _block_ids(view: dict[str, Any]) -> set[str]:
    return {block.get("block_id", "") for block in view.get("blocks") or []}


def register(app: App, ctx: Tandem) -> None:
    """Register reflection's view submission listeners."""

    def run(work: Work) -> Callable[..., None]:
        def listener(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
            team_id = (body.get("team") or {}).get("id", "")
            user_id = (body.get("user") or {}).get("id", "")
            values = ModalState.of_view(view)
            with ctx.session() as session:
                outcome = work(session, team_id, user_id, view, values, ctx.clock.now())
            if isinstance(outcome, FieldErrors) and set(outcome.errors) <= _block_ids(view):
                ack(response_action="errors", errors=outcome.errors)
            elif isinstance(outcome, FieldErrors | Refused):
                message = (
                    outcome.message
                    if isinstance(outcome, Refused)
                    else " ".join(outcome.errors.values())
                )
                ack(response_action="update", view=notice_view("Tandem", message))
            else:
                ack(response_action="update", view=outcome.view)
                ctx.on_outbox_changed()
                if outcome.refresh is not None:
                    _refresh(client, *outcome.refresh)

        listener.__name__ = work.__name__
        return listener

    app.view(FEEDBACK_CALLBACK)(guarded(run(submit_feedback)))
    app.view(REPLY_CALLBACK)(guarded(run(submit_reply)))
    app.view(SHARE_CALLBACK)(guarded(run(submit_share)))
    app.view(REVIEW_CALLBACK)(guarded(run(submit_review)))
    app.view(END_CALLBACK)(guarded(run(submit_end)))
    app.view(NOTE_CALLBACK)(guarded(run(submit_closing_note)))


def _refresh(client: WebClient, channel: str, ts: str, text: str, blocks: list) -> None:
    """Update the message a modal was opened from; a deleted message is no loss."""
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        log.info("could not refresh %s/%s: %s", channel, ts, error.response.get("error"))

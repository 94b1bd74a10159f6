"""What to show when someone asks to write feedback, share, review or end: a modal or words.

These sit between the listeners and the services: they decide which pair is meant (the only
one, an @partner, or a picker in the modal) and whether the modal makes sense right now.
"""

import json
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.ids import parse_id
from bot.core.kit import checked_message
from bot.core.membership import NO_PAIR, Membership, memberships, resolve_pair
from bot.core.mentions import mentioned_user_ids, strip_mentions
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.reflection.access import member_of
from bot.reflection.blocks.common import name_of
from bot.reflection.blocks.contributions import share_modal, shared_text
from bot.reflection.blocks.ending import END_CALLBACK, closing_note_modal, end_modal
from bot.reflection.blocks.feedback import feedback_modal, reply_modal
from bot.reflection.blocks.review import results_view, review_modal, waiting_blocks, waiting_view
from bot.reflection.contribution_rules import (
    KIND_LABELS,
    TEXT_LIMIT,
    guess_kind,
    parse_share,
    plain_links,
)
from bot.reflection.service.contributions import share
from bot.reflection.service.feedback import received_feedback
from bot.reflection.service.history import reflection_history
from bot.reflection.service.reviews import current_review, review_for, review_outcome
from storage.models import PairStatus
from storage.queries.reflection import pair_goals


def _choices(session: Session, team_id: str, user_id: str, args: str) -> list[Membership] | Refused:
    resolved = resolve_pair(session, team_id, user_id, args)
    if isinstance(resolved, Refused):
        return resolved
    return resolved if isinstance(resolved, list) else [resolved]


def _goals(session: Session, choices: list[Membership]) -> dict[int, list]:
    return {m.pair.id or 0: pair_goals(session, m.pair.id or 0) for m in choices}


def feedback_form(session: Session, team_id: str, user_id: str, args: str) -> Result:
    """`/tandem feedback [@partner] [text]`: the feedback modal, text pre-filled if given."""
    choices = _choices(session, team_id, user_id, args)
    if isinstance(choices, Refused):
        return choices
    text = strip_mentions(args) or None
    return Reply(modal=feedback_modal(choices, _goals(session, choices), text=text))


def feedback_form_for(
    session: Session, team_id: str, user_id: str, pair_id: int | None, kind: str | None
) -> Result:
    """The feedback modal for one pair, from a prompt's button (kind pre-selected)."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=feedback_modal([membership], _goals(session, [membership]), kind=kind))


def reply_form(
    session: Session, team_id: str, user_id: str, feedback_id: int | None, where: dict[str, Any]
) -> Result:
    """The reply modal for feedback `user_id` received; `where` is the message it came in."""
    found = received_feedback(session, team_id, user_id, feedback_id)
    if isinstance(found, Refused):
        return found
    feedback, membership = found
    if feedback.replied_at is not None:
        return Refused("You already replied to this feedback; your reply was sent.")
    metadata = {"feedback": feedback.id, **where}
    return Reply(modal=reply_modal(feedback, name_of(membership.partner), metadata))


def share_command(session: Session, team_id: str, user_id: str, args: str, now: datetime) -> Result:
    """`/tandem share [@partner] [kind] <text>`: logged at once when the pair is clear."""
    mine = memberships(session, team_id, user_id)
    if not mine:
        return Refused(NO_PAIR)
    named = [m for m in mine if m.partner.user_id in mentioned_user_ids(args)]
    chosen = mine[0] if len(mine) == 1 else (named[0] if len(named) == 1 else None)
    kind, text = parse_share(args, chosen.partner.user_id if chosen else None)
    if chosen is None or not text:
        choices = [chosen] if chosen else mine
        return Reply(modal=share_modal(choices, kind=kind, text=text or None))
    shared = share(session, chosen, kind, text, now)
    if isinstance(shared, FieldErrors):
        problem = next(iter(shared.errors.values()))
        return Reply(f"{problem} Try `/tandem share <text or link>`.")
    return Reply(
        shared_text(chosen, shared.contribution.kind, shared.counts, hint=True), queued=True
    )


def share_message_form(
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    message: dict[str, Any],
    channel_id: str,
) -> Result:
    """The share modal filled with a Slack message (its text and permalink), from the message
    shortcut: the person checks it and picks the kind, and the pair when they have several."""
    mine = memberships(session, team_id, user_id)
    if not mine:
        return Refused(NO_PAIR)
    said = plain_links(str(message.get("text") or "")).strip()
    link = _permalink(client, channel_id, str(message.get("ts") or ""))
    room = TEXT_LIMIT - len(link) - 1  # the link is kept whole: it is what leads back
    if len(said) > room:
        said = said[: room - 1].rstrip() + "…"
    text = "\n".join(part for part in (said, link) if part)
    # Guessed from the words alone: with the permalink every message would read as an article.
    return Reply(modal=share_modal(mine, kind=guess_kind(said), text=text or None))


def _permalink(client: WebClient, channel_id: str, ts: str) -> str:
    """The message's permalink, or "" where Slack will not give it (a channel the app cannot
    see): the words alone are still worth sharing."""
    if not channel_id or not ts:
        return ""
    try:
        return str(client.chat_getPermalink(channel=channel_id, message_ts=ts)["permalink"])
    except SlackApiError:
        return ""


def share_form_for(
    session: Session, team_id: str, user_id: str, pair_id: int | None, kind: str | None = None
) -> Result:
    """The share modal for one pair (from an invitation to give back), with `kind` chosen
    when it is one (a story, from the mentor's invitation)."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=share_modal([membership], kind=kind if kind in KIND_LABELS else None))


def review_command(
    session: Session, team_id: str, user_id: str, args: str, now: datetime
) -> Result:
    """`/tandem review [@partner]` starts (or continues) a review; `history` shows past ones."""
    if args.strip().lower() == "history":
        message = reflection_history(session, team_id, user_id)
        return Reply(message["text"], message.get("blocks"))
    choices = _choices(session, team_id, user_id, args)
    if isinstance(choices, Refused):
        return choices
    if len(choices) > 1:
        return Reply(modal=review_modal(choices))
    seen = current_review(session, choices[0])
    if seen is not None and seen.mine is not None:
        blocks = checked_message(waiting_blocks(seen))
        return Reply("You've answered; waiting for your partner.", blocks)
    return Reply(modal=review_modal(choices, seen.review.id if seen else None))


def review_form_for(
    session: Session, team_id: str, user_id: str, review_id: int | None, now: datetime
) -> Result:
    """From an invitation's button: the questions, "waiting", or the results if complete."""
    seen = review_for(session, team_id, user_id, review_id)
    if isinstance(seen, Refused):
        return seen
    if seen.complete:
        return Reply(modal=results_view(seen, *review_outcome(session, seen, now)))
    if seen.membership.pair.status == PairStatus.ENDED:
        return Refused("This mentorship has ended, so this review can no longer be answered.")
    if seen.mine is not None:
        return Reply(modal=waiting_view(seen))
    return Reply(modal=review_modal([seen.membership], seen.review.id))


def end_form(session: Session, team_id: str, user_id: str, args: str) -> Result:
    """`/tandem end [@partner]`: Graduate or Close."""
    choices = _choices(session, team_id, user_id, args)
    if isinstance(choices, Refused):
        return choices
    return Reply(modal=end_modal(choices))


def end_form_for(
    session: Session, team_id: str, user_id: str, view: dict[str, Any], how: str | None
) -> Result:
    """The end modal redrawn with `how` chosen (the private reason shows only for Close);
    nothing when it is not the end modal, or the person has no pair to end any more."""
    redrawn = _end_modal_for(session, team_id, user_id, view, how)
    return Reply() if redrawn is None else Reply(refresh=redrawn)


def _end_modal_for(
    session: Session, team_id: str, user_id: str, view: dict[str, Any], how: str | None
) -> dict[str, Any] | None:
    if view.get("callback_id") != END_CALLBACK or how not in ("graduate", "close"):
        return None
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    pair_id = metadata.get("pair") if isinstance(metadata, dict) else None
    if pair_id is not None:
        membership = member_of(session, team_id, user_id, parse_id(pair_id))
        if isinstance(membership, Refused):
            return None
        return end_modal([membership], how)
    choices = _choices(session, team_id, user_id, "")
    return None if isinstance(choices, Refused) else end_modal(choices, how)


def closing_note_form(session: Session, team_id: str, user_id: str, pair_id: int | None) -> Result:
    """The partner's own closing words, from the "your mentorship has ended" DM."""
    membership = member_of(session, team_id, user_id, pair_id, (PairStatus.ENDED,))
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=closing_note_modal(membership))

"""Scheduled feedback prompts: the mentor asks how to support better, the mentee looks back.

Every `feedback_frequency_weeks` of the charter (4 by default), counted from activation.
Only active pairs are prompted: a prompt that falls due while the pair is paused waits for
the resume, and is dropped if it is more than a week stale by then (the next one follows
the rhythm). Outbox keys name the occurrence, so each prompt goes out once.
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.delivery.service import dm_member
from bot.reflection.blocks.feedback import mentee_prompt, mentor_prompt
from bot.reflection.rhythm import feedback_step, first_due, following, occurrence_key
from storage.models import CharterVersion, Pair, Person
from storage.queries.charter import current_charters
from storage.queries.pairs import people_by_id
from storage.queries.reflection import pairs_due_feedback_prompt

PROMPT_KIND = "reflection.prompt"
# A prompt more than this late (downtime, a long pause) is noise: skip to the next one.
STALE_AFTER = timedelta(days=7)


def _queue_prompts(session: Session, pair: Pair, due: datetime) -> int:
    mentor = session.get(Person, pair.mentor_id)
    mentee = session.get(Person, pair.mentee_id)
    if mentor is None or mentee is None:
        return 0
    queued = 0
    for role, me, partner, build in (
        ("mentor", mentor, mentee, mentor_prompt),
        ("mentee", mentee, mentor, mentee_prompt),
    ):
        text, blocks = build(Membership(pair=pair, me=me, partner=partner))
        queued += dm_member(
            session,
            me.user_id,
            key=f"feedback.prompt:{pair.id}:{role}:{occurrence_key(due)}",
            kind=PROMPT_KIND,
            text=text,
            blocks=blocks,
            deliver_after=due,
            expires_at=due + STALE_AFTER,
            pair=pair,
        )
    return queued


def produce_feedback_prompts(ctx: Tandem, session: Session, now: datetime) -> int:
    """Queue the feedback prompts due at `now` and schedule each pair's next one."""
    queued = 0
    while batch := pairs_due_feedback_prompt(session, now):
        charters = current_charters(session, [pair.id or 0 for pair in batch])
        # Held for the batch: the session keeps loaded rows only while they are referenced,
        # and its `session.get`s are then answered without SQL.
        _members = people_by_id(
            session, {i for pair in batch for i in (pair.mentor_id, pair.mentee_id)}
        )
        for pair in batch:
            step = prompt_step(charters.get(pair.id or 0))
            due = pair.next_feedback_prompt_at
            if due is None:  # first look at this pair: its rhythm starts at activation
                due = first_due(pair.activated_at or now, step)
            if due <= now:
                if now - due <= STALE_AFTER:
                    queued += _queue_prompts(session, pair, due)
                due = following(due, step, now)
            pair.next_feedback_prompt_at = due
            session.add(pair)
        session.flush()
    return queued


def prompt_step(charter: CharterVersion | None) -> timedelta:
    """The gap between the pair's feedback prompts, as its charter says."""
    return feedback_step(charter.feedback_frequency_weeks if charter else None)

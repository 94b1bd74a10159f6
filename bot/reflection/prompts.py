"""Scheduled feedback prompts: the mentor asks how to support better, the mentee looks back.

Every `feedback_frequency_weeks` of the charter (4 by default), counted from the first meeting
held (not the pairing: a pair paired in December that first meets on 1 March is not asked to
look back on 2 March); a pair that never met has nothing to look back on and is looked at
again every NOT_MET_LOOK until it has (the lapse nudges speak to it meanwhile).
Only active pairs are prompted: a prompt that falls due while the pair is paused waits for
the resume, and is dropped if it is more than a week stale by then (the next one follows
the rhythm). Outbox keys name the occurrence, so each prompt goes out once.
"""

from datetime import datetime, timedelta
from functools import partial

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.delivery.service import dm_member
from bot.reflection.blocks.feedback import mentee_prompt, mentor_prompt
from bot.reflection.rhythm_rules import (
    counted_from_first_meeting,
    feedback_step,
    first_due,
    following,
    occurrence_key,
)
from storage.models import CharterVersion, Pair
from storage.queries.charter import current_charters
from storage.queries.meetings import first_met_of
from storage.queries.pairs import held_batches, pair_people
from storage.queries.reflection import pairs_due_feedback_prompt

PROMPT_KIND = "reflection.prompt"
# A prompt more than this late (downtime, a long pause) is noise: skip to the next one.
STALE_AFTER = timedelta(days=7)
NOT_MET_LOOK = timedelta(days=7)


def _queue_prompts(session: Session, pair: Pair, due: datetime) -> int:
    mentor, mentee = pair_people(session, pair)
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
    for batch in held_batches(session, partial(pairs_due_feedback_prompt, session, now)):
        ids = [pair.id or 0 for pair in batch]
        charters, firsts = current_charters(session, ids), first_met_of(session, ids)
        for pair in batch:
            step = prompt_step(charters.get(pair.id or 0))
            first_met = firsts.get(pair.id or 0)
            if first_met is None:  # never met: look again later, prompt nobody
                pair.next_feedback_prompt_at = now + NOT_MET_LOOK
                session.add(pair)
                continue
            due = pair.next_feedback_prompt_at
            if due is None:  # first look at this pair
                due = first_due(first_met, step)
            due = counted_from_first_meeting(due, first_met, step)
            if due <= now:
                if now - due <= STALE_AFTER:
                    queued += _queue_prompts(session, pair, due)
                due = following(due, step, now)
            pair.next_feedback_prompt_at = due
            session.add(pair)
    return queued


def prompt_step(charter: CharterVersion | None) -> timedelta:
    """The gap between the pair's feedback prompts, as its charter says."""
    return feedback_step(charter.feedback_frequency_weeks if charter else None)

"""About once a quarter, the mentor of an active pair that meets is invited to share a story
from their own path or a misstep and what they learned (rules: bot/reflection/story_rules.py).

It rides in the mentor's next meeting reminder (`story_in_reminder`, the meetings area's
`mentor_reminder_extras` hook): no message of its own. Only a mentor whose reminders carried
none for RIDE_ALONG after it fell due (they chose none, or no meeting came) gets it as a DM.

That DM is an invitation to give back (kind "reflection.giveback"): routine, so the
daily DM budget folds it into the digest with its button, it can be muted or snoozed like the
mentee's invitations, and pausing the pair cancels it. Its cost does not grow with the
programme: one read of the due pairs per batch (their members held by `held_batches`).
"""

from collections.abc import Collection
from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.delivery.service import dm_member
from bot.reflection.blocks.stories import story_invite_message, story_invite_section
from bot.reflection.rhythm_rules import occurrence_key
from bot.reflection.story_rules import RIDE_ALONG, STORY_EVERY, story_invite_due
from storage.models import Pair, PairStatus, Person
from storage.queries.pairs import held_batches, pair_people, pairs_due

STORY_KIND = "reflection.giveback"
BATCH = 200


def produce_story_invites(ctx: Tandem, session: Session, now: datetime) -> int:
    """Queue the mentors' story invitations due at `now`; move each pair's look on."""
    queued = 0
    due_pairs = partial(pairs_due, session, Pair.next_story_invite_at, now, BATCH)
    for batch in held_batches(session, due_pairs):
        for pair in batch:
            due = pair.next_story_invite_at or now
            invite, pair.next_story_invite_at = story_invite_due(
                now, pair.activated_at, pair.last_meeting_at, pair.story_invited_at, RIDE_ALONG
            )
            if invite:
                mentor, mentee = pair_people(session, pair)  # held: no statement
                text, blocks = story_invite_message(Membership(pair, mentor, mentee))
                queued += int(
                    dm_member(
                        session,
                        mentor.user_id,
                        key=f"giveback.story:{pair.id}:{occurrence_key(due)}",
                        kind=STORY_KIND,
                        text=text,
                        blocks=blocks,
                        deliver_after=now,
                        pair=pair,
                    )
                )
                pair.story_invited_at = now
            session.add(pair)
    return queued


def story_in_reminder(
    pair: Pair, mentee: Person, now: datetime, held_back: Collection[str]
) -> list[dict[str, Any]]:
    """The invitation's blocks for the mentor's meeting reminder when it is due (the pair's
    story fields then move on a quarter: the producer's DM is not sent); [] otherwise, and
    when the mentor muted or snoozed invitations to give back (`held_back`: such kinds)."""
    if pair.status != PairStatus.ACTIVE or STORY_KIND in held_back:
        return []
    invite, _ = story_invite_due(
        now, pair.activated_at, pair.last_meeting_at, pair.story_invited_at
    )
    if not invite:
        return []
    pair.story_invited_at = now
    pair.next_story_invite_at = now + STORY_EVERY + RIDE_ALONG  # the producer's next look
    return story_invite_section(pair.id or 0, mentee)

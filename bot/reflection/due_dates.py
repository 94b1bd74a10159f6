"""The first feedback prompt, review, giving-back look and story invitation of a pair the
scheduler starts to track, counted from its activation (dates it already has are kept)."""

from datetime import datetime

from sqlmodel import Session

from bot.reflection.prompts import prompt_step
from bot.reflection.rhythm_rules import GIVING_BACK_PERIOD, first_due
from bot.reflection.service.reviews import review_step_of
from bot.reflection.story_rules import RIDE_ALONG, STORY_EVERY
from storage.models import Pair
from storage.queries.charter import current_charters
from storage.queries.reflection import giving_back_rows


def arm_reflection(session: Session, pairs: list[Pair], now: datetime) -> None:
    """Set the reflection due dates of `pairs` (a few statements for the whole batch)."""
    ids = [pair.id or 0 for pair in pairs]
    charters = current_charters(session, ids)
    looks = giving_back_rows(session, ids)
    for pair in pairs:
        start = pair.activated_at or now
        charter = charters.get(pair.id or 0)
        if pair.next_feedback_prompt_at is None:
            pair.next_feedback_prompt_at = first_due(start, prompt_step(charter))
        if pair.next_review_at is None:
            pair.next_review_at = first_due(start, review_step_of(session, pair, charter))
        if pair.next_giving_back_at is None:
            look = looks.get(pair.id or 0)
            pair.next_giving_back_at = (
                look.next_check_at if look else first_due(start, GIVING_BACK_PERIOD)
            )
        if pair.next_story_invite_at is None:  # the mentor's first invitation to tell a story
            # The DM's first look: until then, a reminder may carry it (story_in_reminder).
            pair.next_story_invite_at = start + STORY_EVERY + RIDE_ALONG
        session.add(pair)

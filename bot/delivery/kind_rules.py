"""Which outbox messages are Tandem's own nudges, and which relay what a person did.

A nudge (a meeting reminder, "did you meet?", a lapse note, a feedback prompt, a review or
giving-back invitation, an anniversary or streak cheer, a snoozed copy of any of them) only
makes sense while the pair is active: pausing or ending a pair cancels the nudges still
queued, and the sender expires one whose pair is not active when it comes due. Everything
else (a share, feedback, a charter to acknowledge, a goal update, a thank-you...) tells one
member what the other did, so it is delivered whatever the pair's status.

The kinds are named here rather than imported so that delivery does not depend on the areas
that queue them; tests/delivery/test_nudges_follow_pair_status.py checks they are still
queued.
"""

from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col

from storage.models import OutboxMessage

NUDGE_KINDS = frozenset(
    {
        "meeting.reminder",  # bot/meetings/keys.py REMINDER
        "meeting.followup",  # FOLLOWUP
        "meeting.lapse",  # LAPSE
        "meeting.lapse_admin",  # LAPSE_ADMIN (to admins, about a lapse)
        "reflection.prompt",  # bot/reflection/prompts.py PROMPT_KIND
        "reflection.review",  # bot/reflection/service/reviews.py invitations
        "reflection.giveback",  # bot/reflection/giving_back.py invitations
        "reflection.digest",  # giving-back digest
        "pair.drift",  # bot/reflection/drift.py KIND (the rhythm lived against the agreed one)
    }
)
# Cheers share one kind (bot/goals/celebrations.py CHEER_KIND) whatever they celebrate; a
# ticked milestone relays what someone did, an anniversary or a streak is Tandem's own idea.
# Their keys are "celebrate.pair:<pair>:<celebration kind>:<subject>".
CHEER_KIND = "celebrate.pair"
OCCASION_KEY_MARKS = (":anniversary:", ":streak:")


def is_nudge(kind: str, key: str) -> bool:
    """Whether a message of `kind` with `key` is a nudge (see the module docstring)."""
    if kind in NUDGE_KINDS:
        return True
    return kind == CHEER_KIND and any(mark in key for mark in OCCASION_KEY_MARKS)


def nudge_condition() -> Any:
    """The SQL condition `is_nudge` is, for OutboxMessage rows."""
    return or_(
        col(OutboxMessage.kind).in_(sorted(NUDGE_KINDS)),
        and_(
            col(OutboxMessage.kind) == CHEER_KIND,
            or_(*(col(OutboxMessage.key).contains(mark) for mark in OCCASION_KEY_MARKS)),
        ),
    )

"""Which outbox messages are Tandem's own nudges, which relay what a person did, and which
cannot wait.

A nudge (a meeting reminder, "did you meet?", a lapse note, a feedback prompt, a review or
giving-back invitation, an anniversary or streak cheer, a snoozed copy of any of them) only
makes sense while the pair is active: pausing or ending a pair cancels the nudges still
queued, and the sender expires one whose pair is not active when it comes due. Everything
else (a share, feedback, a charter to acknowledge, a goal update, a thank-you...) tells one
member what the other did, so it is delivered whatever the pair's status.

The kinds are named here rather than imported so that delivery does not depend on the areas
that queue them; tests/delivery/test_nudges_follow_pair_status.py checks they are still
queued.

Priorities, for the daily DM limit (bot/delivery/policy.py):
- time-critical: a message with a moment, after which it is worthless (a meeting reminder,
  "did you meet?", a moved meeting, a proposal or a charter version waiting for an answer).
  Never counted, folded or delayed by the limit: losing one costs a meeting.
- answers: rows queued `exempt_from_cap` (a reply to something the person just did).
- routine: everything else (prompts, invitations, celebrations, anniversaries, relays).
  Only these are counted against the limit, and only these fold into the digest.
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
        "charter.nudge",  # bot/charter/jobs.py NUDGE_KIND (no charter written yet)
    }
)
TIME_CRITICAL_KINDS = frozenset(
    {
        "meeting.reminder",  # bot/meetings/keys.py REMINDER
        "meeting.followup",  # FOLLOWUP
        "meeting.moved",  # MOVED
        "pair.proposal",  # bot/pairs/service.py: Accept / Decline
        "charter.ack_request",  # bot/charter/service.py: a version to acknowledge
    }
)
TIME_CRITICAL, ANSWER, ROUTINE = "time-critical", "answer", "routine"
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


def priority(kind: str, exempt_from_cap: bool) -> str:
    """TIME_CRITICAL, ANSWER or ROUTINE (see the module docstring)."""
    if kind in TIME_CRITICAL_KINDS:
        return TIME_CRITICAL
    return ANSWER if exempt_from_cap else ROUTINE


def nudge_condition() -> Any:
    """The SQL condition `is_nudge` is, for OutboxMessage rows."""
    return or_(
        col(OutboxMessage.kind).in_(sorted(NUDGE_KINDS)),
        and_(
            col(OutboxMessage.kind) == CHEER_KIND,
            or_(*(col(OutboxMessage.key).contains(mark) for mark in OCCASION_KEY_MARKS)),
        ),
    )

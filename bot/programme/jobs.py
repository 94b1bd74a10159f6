"""The programme's scheduled work: when a cohort ends, its pairs are invited to close well."""

from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.people import programme_admins
from bot.delivery.service import enqueue
from bot.programme.blocks.closing import admins_closing_note, closing_invitation
from storage.queries.programme import cohorts_due_closing, live_pairs_of_cohort

CLOSING_KIND = "programme.closing"
CLOSING_ADMIN_KIND = "programme.closing_admin"


def produce_cohort_closings(ctx: Tandem, session: Session, now: datetime) -> int:
    """Invite each live pair of every cohort that has ended to a closing review, once.

    Each member is asked to review the mentorship together and then graduate or continue;
    the workspace's programme admins hear that the cohort closed (numbers only).
    """
    queued = 0
    for cohort in cohorts_due_closing(session, now):
        pairs = live_pairs_of_cohort(session, cohort.id or 0)
        for pair, mentor, mentee in pairs:
            for person, partner in ((mentor, mentee), (mentee, mentor)):
                text, blocks = closing_invitation(cohort, pair, partner)
                queued += enqueue(
                    session,
                    team_id=cohort.team_id,
                    key=f"{CLOSING_KIND}:{cohort.id}:{pair.id}:{person.user_id}",
                    kind=CLOSING_KIND,
                    channel=person.user_id,
                    text=text,
                    blocks=blocks,
                    deliver_after=now,
                    pair_id=pair.id,
                    recipient_user_id=person.user_id,
                )
        for admin in programme_admins(session, ctx.settings, cohort.team_id):
            queued += enqueue(
                session,
                team_id=cohort.team_id,
                key=f"{CLOSING_ADMIN_KIND}:{cohort.id}:{admin}",
                kind=CLOSING_ADMIN_KIND,
                channel=admin,
                text=admins_closing_note(cohort, len(pairs)),
                deliver_after=now,
                recipient_user_id=admin,
            )
        cohort.closing_due_at = None
        cohort.closed_at = now
        session.add(cohort)
    return queued


PRODUCERS = [produce_cohort_closings]

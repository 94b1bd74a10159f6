"""A new chapter after graduating: the same two people, a new pair linked to the old one,
the old charter as a draft to revise, and the goals still open carried over.

The new pair goes through consent like any other (the one who clicks has consented; the
partner is asked). Its charter is not a version until someone saves the form: the draft only
fills the form in. Carried goals keep their milestones (ticks included) and say where they
came from; the old pair's goals stay in its history as they were.
"""

from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.charter.service import draft_of
from bot.core.config import Settings
from bot.core.kit import notice_modal
from bot.core.membership import Membership
from bot.core.results import Refused, Reply, Result
from bot.pairs.service import Proposed, propose_pair
from bot.reflection.access import member_of
from bot.reflection.blocks.ending import chapter_started_text
from storage.models import Goal, GoalEvent, GoalStatus, Milestone, Pair, PairStatus
from storage.queries.charter import current_charter
from storage.queries.goals import milestones_of, open_goals_of
from storage.queries.pairs import next_chapter

ONLY_GRADUATES = (
    "Only a graduated mentorship goes on to a new chapter. To work together again, "
    "start afresh with `/tandem pair @mentor @mentee`."
)


def _carry_goals(session: Session, old: Pair, new: Pair, actor_id: int, now: datetime) -> int:
    carried = 0
    for goal in open_goals_of(session, old.id or 0):
        copy = Goal(
            team_id=goal.team_id,
            pair_id=new.id or 0,
            owner_id=goal.owner_id,
            created_by_id=actor_id,
            title=goal.title,
            why=goal.why,
            target_date=goal.target_date,
            status=GoalStatus.ACTIVE,
            percent=goal.percent,
            carried_from_id=goal.id,
            created_at=now,
            updated_at=now,
        )
        session.add(copy)
        session.flush()
        for milestone in milestones_of(session, goal.id or 0):
            session.add(
                Milestone(
                    team_id=goal.team_id,
                    goal_id=copy.id or 0,
                    position=milestone.position,
                    title=milestone.title,
                    due_date=milestone.due_date,
                    done_at=milestone.done_at,
                    done_by_id=milestone.done_by_id,
                )
            )
        session.add(
            GoalEvent(
                team_id=goal.team_id,
                goal_id=copy.id or 0,
                actor_id=actor_id,
                kind="carried",
                detail="Carried over from the last chapter.",
                created_at=now,
            )
        )
        carried += 1
    return carried


def start_new_chapter(
    session: Session,
    client: WebClient,
    settings: Settings,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    now: datetime,
    in_modal: bool,
) -> Result:
    """ "Start a new chapter" of a graduated pair: the partner is asked to accept. What was
    proposed (or why not) is said privately, or `in_modal` in the modal the button sits in."""
    membership = member_of(session, team_id, user_id, pair_id, (PairStatus.ENDED,))
    started = membership
    if not isinstance(membership, Refused):
        started = _propose_next(session, client, settings, membership, now)
    refused = isinstance(started, Refused)
    text = started.message if isinstance(started, Refused) else chapter_started_text(started)
    if in_modal:
        return Reply(refresh=notice_modal(text, "A new chapter"), queued=not refused)
    return Reply(text=text, queued=not refused)


def _propose_next(
    session: Session, client: WebClient, settings: Settings, membership: Membership, now: datetime
) -> Proposed | Refused:
    old = membership.pair
    if old.end_kind != "graduate":
        return Refused(ONLY_GRADUATES)
    if next_chapter(session, old.id or 0) is not None:
        return Refused("You've started the next chapter already: see `/tandem status`.")
    mentor = membership.me if old.mentor_id == membership.me.id else membership.partner
    mentee = membership.partner if mentor is membership.me else membership.me
    team_id, user_id = old.team_id, membership.me.user_id
    proposed = propose_pair(
        session, client, settings, team_id, user_id, f"<@{mentor.user_id}> <@{mentee.user_id}>", now
    )
    if isinstance(proposed, Refused):
        return proposed
    new = proposed.pair
    new.previous_pair_id = old.id
    new.stage = old.stage
    charter = current_charter(session, old.id or 0)
    if charter is not None:
        draft = draft_of(charter).values()
        draft["starts_on"] = None  # a new chapter starts at its next slot unless they say
        new.charter_draft = draft
    session.add(new)
    session.flush()
    _carry_goals(session, old, new, membership.me.id or 0, now)
    return proposed

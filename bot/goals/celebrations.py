"""Marking a win once: a Celebration row per (pair, kind, subject), then the warm words."""

from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.delivery.service import post_to_pair
from bot.goals.announcements import load_win, offer_share
from bot.goals.blocks import cheers
from storage.db import insert_new
from storage.models import Celebration, Goal, Milestone, Pair, Person
from storage.models.goals import ShareStatus
from storage.queries.goals import milestones_of

CHEER_KIND = "celebrate.pair"


def claim_celebration(
    session: Session, pair: Pair, kind: str, subject_key: str, now: datetime
) -> Celebration | None:
    """The new Celebration for this win, or None when it was celebrated before.

    "On conflict do nothing" on the unique (pair, kind, subject): two ticks at once, a tick
    after an untick, or a second scheduler replica can never celebrate the same thing twice.
    """
    return claim_celebrations(session, [(pair, kind, subject_key)], now).get(pair.id or 0)


def claim_celebrations(
    session: Session, wins: list[tuple[Pair, str, str]], now: datetime
) -> dict[int, Celebration]:
    """`claim_celebration` for many (pair, kind, subject key) at once, in one statement: the
    new Celebrations by pair id (one win per pair), leaving out those celebrated before."""
    rows = [
        {
            "team_id": pair.team_id,
            "pair_id": pair.id,
            "kind": kind,
            "subject_key": subject_key,
            "share_status": ShareStatus.NOT_ASKED,
            "share_attempts": 0,
            "created_at": now,
        }
        for pair, kind, subject_key in wins
    ]
    claimed = insert_new(session, Celebration, rows, ["pair_id", "kind", "subject_key"])
    return {row.pair_id: row for row in claimed}


def cheer_key(row: Celebration) -> str:
    """The outbox key of the group-DM message for a celebration."""
    return f"{CHEER_KIND}:{row.pair_id}:{row.kind}:{row.subject_key}"


def celebrate_milestone(
    ctx: Tandem, session: Session, pair: Pair, goal: Goal, milestone: Milestone, now: datetime
) -> None:
    """A milestone was done: cheer in the group DM and offer to share it (first time only)."""
    row = claim_celebration(session, pair, "milestone", str(milestone.id), now)
    win = load_win(session, row) if row is not None else None
    if row is None or win is None:
        return
    note = offer_share(ctx, session, win, now)
    all_milestones = milestones_of(session, goal.id or 0)
    done = sum(1 for m in all_milestones if m.done_at is not None)
    content = cheers.milestone_cheer(goal, milestone, win.owner, done, len(all_milestones), note)
    post_to_pair(session, pair, key=cheer_key(row), kind=CHEER_KIND, deliver_after=now, **content)


def celebrate_goal(ctx: Tandem, session: Session, pair: Pair, goal: Goal, now: datetime) -> None:
    """A goal was completed: cheer in the group DM and offer to share it (first time only)."""
    row = claim_celebration(session, pair, "goal", str(goal.id), now)
    win = load_win(session, row) if row is not None else None
    if row is None or win is None:
        return
    note = offer_share(ctx, session, win, now)
    partner_id = pair.mentor_id if goal.owner_id == pair.mentee_id else pair.mentee_id
    partner = session.get(Person, partner_id)
    assert partner is not None
    content = cheers.goal_cheer(goal, win.owner, partner, note)
    post_to_pair(session, pair, key=cheer_key(row), kind=CHEER_KIND, deliver_after=now, **content)

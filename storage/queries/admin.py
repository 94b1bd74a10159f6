"""Deleting one person's data (see bot/admin/erase.py for what goes and what stays)."""

from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from storage.models import (
    AgendaItem,
    CalendarFeed,
    CharterAck,
    CharterVersion,
    Contribution,
    DailyDmCount,
    Feedback,
    Goal,
    GoalEvent,
    GoalUpdate,
    HomeRefresh,
    JoinProfile,
    Meeting,
    MeetingNote,
    Milestone,
    NudgeSnooze,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairStatus,
    Person,
    PersonalWin,
    Preference,
    Retrospective,
    ReviewAnswer,
    Workspace,
)

ERASED_TEXT = ""


def _count(session: Session, statement) -> int:  # type: ignore[no-untyped-def]
    return int(session.exec(statement).rowcount or 0)  # type: ignore[call-overload]


def erase_person_rows(
    session: Session, person: Person, now: datetime
) -> tuple[int, dict[str, int]]:
    """Remove `person`'s data in the caller's transaction; returns (open pairs ended, rows
    removed by kind)."""
    me = person.id
    pairs_ended = 0
    me = person.id
    pairs = session.exec(
        select(Pair).where(
            Pair.team_id == person.team_id, or_(Pair.mentor_id == me, Pair.mentee_id == me)
        )
    ).all()
    pair_ids = [p.id for p in pairs]
    for pair in pairs:
        if pair.status in (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.PAUSED):
            pair.status = PairStatus.ENDED
            pair.end_kind = "erased"
            pair.ended_at = now
            pair.next_meeting_at = pair.next_review_at = pair.next_feedback_prompt_at = None
            session.add(pair)
            pairs_ended += 1
    session.flush()

    goal_ids = list(session.exec(select(Goal.id).where(Goal.owner_id == me)))
    removed: dict[str, int] = {}
    removed["feedback"] = _count(session, delete(Feedback).where(Feedback.author_id == me))
    # Their matching profile (its note is theirs), and their place among the named admins.
    removed["matching profile"] = _count(
        session, delete(JoinProfile).where(JoinProfile.person_id == me)
    )
    workspace = session.get(Workspace, person.team_id)
    if workspace is not None and person.user_id in (workspace.programme_admins or []):
        workspace.programme_admins = [a for a in workspace.programme_admins if a != person.user_id]
        session.add(workspace)
    removed["review answers"] = _count(
        session, delete(ReviewAnswer).where(ReviewAnswer.person_id == me)
    )
    removed["retrospectives"] = _count(
        session, delete(Retrospective).where(Retrospective.person_id == me)
    )
    removed["contributions"] = _count(
        session,
        delete(Contribution).where(
            or_(Contribution.giver_id == me, Contribution.receiver_id == me)
        ),
    )
    # Wins they celebrated outside any goal are in their own words (the celebration row that
    # says whether it was shared stays, like a goal's).
    removed["wins"] = _count(session, delete(PersonalWin).where(PersonalWin.owner_id == me))
    removed["agenda items"] = _count(session, delete(AgendaItem).where(AgendaItem.author_id == me))
    removed["goal updates"] = _count(
        session,
        delete(GoalUpdate).where(
            or_(GoalUpdate.author_id == me, col(GoalUpdate.goal_id).in_(goal_ids))
        ),
    )
    session.exec(delete(GoalEvent).where(col(GoalEvent.goal_id).in_(goal_ids)))  # type: ignore[call-overload]
    session.exec(delete(Milestone).where(col(Milestone.goal_id).in_(goal_ids)))  # type: ignore[call-overload]
    removed["goals"] = _count(session, delete(Goal).where(col(Goal.id).in_(goal_ids)))
    session.exec(
        update(GoalEvent)
        .where(GoalEvent.actor_id == me)  # type: ignore[call-overload]
        .values(detail=ERASED_TEXT)
    )
    session.exec(delete(CharterAck).where(CharterAck.person_id == me))  # type: ignore[call-overload]
    if pair_ids:
        removed["charter texts"] = _count(
            session,
            update(CharterVersion)
            .where(col(CharterVersion.pair_id).in_(pair_ids))
            .values(
                mentor_objectives=ERASED_TEXT,
                mentee_objectives=ERASED_TEXT,
                success_looks_like=ERASED_TEXT,
                mentor_success=ERASED_TEXT,
                mentee_success=ERASED_TEXT,
                mentor_constraints=ERASED_TEXT,
                mentee_constraints=ERASED_TEXT,
                async_channel=ERASED_TEXT,
                topics_in_scope=ERASED_TEXT,
                topics_out_of_scope=ERASED_TEXT,
                confidentiality=ERASED_TEXT,
                focus_areas=[],
                change_summary=ERASED_TEXT,
            ),
        )
        removed["meeting notes"] = _count(
            session,
            update(Meeting)
            .where(col(Meeting.pair_id).in_(pair_ids))
            .values(discussed=ERASED_TEXT, lesson=ERASED_TEXT, next_actions=ERASED_TEXT),
        )
        session.exec(delete(AgendaItem).where(col(AgendaItem.pair_id).in_(pair_ids)))  # type: ignore[call-overload]
        # Each member's part and private notes go too: the combined copy above is erased.
        session.exec(delete(MeetingNote).where(col(MeetingNote.pair_id).in_(pair_ids)))  # type: ignore[call-overload]
    about_them = or_(
        OutboxMessage.recipient_user_id == person.user_id,
        OutboxMessage.channel == person.user_id,
        col(OutboxMessage.pair_id).in_(pair_ids or [-1]),
    )
    removed["queued messages"] = _count(
        session,
        delete(OutboxMessage).where(
            about_them, col(OutboxMessage.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING))
        ),
    )
    session.exec(
        update(OutboxMessage)
        .where(about_them)  # type: ignore[call-overload]
        .values(text=ERASED_TEXT, blocks=None)
    )

    session.exec(  # type: ignore[call-overload]
        delete(DailyDmCount).where(
            DailyDmCount.team_id == person.team_id, DailyDmCount.user_id == person.user_id
        )
    )
    for table in (Preference, NudgeSnooze, CalendarFeed):  # the feed's address dies too
        session.exec(delete(table).where(table.person_id == person.id))  # type: ignore[call-overload]
    session.exec(  # type: ignore[call-overload]
        delete(HomeRefresh).where(
            HomeRefresh.team_id == person.team_id, HomeRefresh.user_id == person.user_id
        )
    )
    person.display_name = person.real_name = ""
    person.tz = None
    person.dm_channel_id = None
    person.erased_at = now
    session.add(person)
    return pairs_ended, removed

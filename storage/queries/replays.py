"""The memory of applied requests and handled events that makes a repeat change nothing."""

from datetime import datetime

from sqlmodel import Session, col, delete

from storage.db import insert_if_absent
from storage.models import AppliedRequest, ProcessedEvent


def remember_request(session: Session, key: str, team_id: str, signed_at: datetime) -> bool:
    """Record request `key`; False when it was recorded before (by any replica)."""
    values = {"key": key, "team_id": team_id[:32], "signed_at": signed_at}
    return insert_if_absent(session, AppliedRequest, values)


def forget_requests_before(session: Session, cutoff: datetime) -> int:
    """Drop what no valid signature can repeat any more; how many rows went."""
    result = session.exec(  # type: ignore[call-overload]
        delete(AppliedRequest).where(col(AppliedRequest.signed_at) < cutoff)
    )
    return result.rowcount or 0


def remember_event(session: Session, team_id: str, event_id: str, received_at: datetime) -> None:
    """Record event `event_id`; committing it fails (IntegrityError) when it was recorded
    before, by any replica."""
    session.add(ProcessedEvent(team_id=team_id, event_id=event_id, received_at=received_at))


def forget_events_before(session: Session, cutoff: datetime) -> int:
    """Drop the ids of events received before `cutoff`, past any retry; how many rows went."""
    result = session.exec(  # type: ignore[call-overload]
        delete(ProcessedEvent).where(col(ProcessedEvent.received_at) < cutoff)
    )
    return result.rowcount or 0

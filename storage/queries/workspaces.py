"""Whether Tandem is installed in a workspace: Slack's app_uninstalled and tokens_revoked mark
it, a new installation or a request from the workspace clears the mark. While marked, nothing
is queued (producers) or sent (the sender) for it."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, col, select

from storage.models import OutboxMessage, OutboxStatus, Workspace


def installed(team_id_column: Any) -> ColumnElement[bool]:
    """For the producers' due queries: the row's workspace (`team_id_column`) has not
    uninstalled Tandem. A correlated NOT EXISTS on the workspace's key, checked only for the
    rows the due-date index found."""
    return ~(
        select(Workspace.team_id)
        .where(col(Workspace.team_id) == team_id_column, col(Workspace.uninstalled_at).is_not(None))
        .exists()
    )


def uninstalled_reason(session: Session, team_id: str) -> str | None:
    """Why nothing may be sent to `team_id` (e.g. "app uninstalled"), or None when installed.

    Uses the session's identity map, so asking again in the same unit of work is free.
    """
    workspace = session.get(Workspace, team_id)
    if workspace is None or workspace.uninstalled_at is None:
        return None
    return workspace.uninstalled_reason or "app uninstalled"


def mark_uninstalled(session: Session, team_id: str, reason: str, now: datetime) -> int:
    """Record that Tandem may no longer act in `team_id`, and end its waiting messages as
    expired with `reason`; returns how many messages that ended."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
    workspace.uninstalled_at = now
    workspace.uninstalled_reason = reason[:64]
    workspace.updated_at = now
    session.flush()
    result = session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(
            col(OutboxMessage.team_id) == team_id,
            col(OutboxMessage.status).in_((OutboxStatus.PENDING, OutboxStatus.FOLDED)),
        )
        .values(status=OutboxStatus.EXPIRED, lease_until=None, last_error=reason[:500])
    )
    return int(result.rowcount or 0)


def mark_installed(session: Session, team_id: str, now: datetime) -> bool:
    """Clear the uninstalled mark of `team_id` (installed again); True if it was marked."""
    result = session.exec(  # type: ignore[call-overload]
        update(Workspace)
        .where(col(Workspace.team_id) == team_id, col(Workspace.uninstalled_at).is_not(None))
        .values(uninstalled_at=None, uninstalled_reason=None, updated_at=now)
    )
    return bool(result.rowcount)

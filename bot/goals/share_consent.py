"""What the workspace and the charter allow before anyone is asked to share a celebration:
the channel it would go to, and whether the charter says always, never, or ask."""

from collections.abc import Mapping

from sqlmodel import Session

from bot.core.context import Tandem
from storage.models import Celebration, CharterVersion, Pair, Workspace
from storage.models.goals import ShareStatus
from storage.queries.charter import current_charter


def celebrations_channel(ctx: Tandem, session: Session, team_id: str) -> str | None:
    """The programme's celebrations channel: the workspace setting wins over the environment."""
    workspace = session.get(Workspace, team_id)
    return (workspace.celebrations_channel if workspace else None) or (
        ctx.settings.celebrations_channel
    )


def sharing_mode(
    ctx: Tandem,
    session: Session,
    pair: Pair,
    celebration: Celebration,
    charters: Mapping[int, CharterVersion] | None = None,
) -> str:
    """ "always", "ask", or "" when nothing will be shared (no channel, or the charter says
        never), with the celebration marked to match: closed, or taking its channel (and, for
    "always", sharing now, flushed so its id can key the announcement). `charters`: the
    current charters of a producer's batch, read at once (otherwise the pair's is read)."""
    channel = celebrations_channel(ctx, session, pair.team_id)
    charter = (
        charters.get(pair.id or 0)
        if charters is not None
        else current_charter(session, pair.id or 0)
    )
    mode = charter.celebration_sharing if charter is not None else "ask"
    if channel is None or mode == "never":
        celebration.share_status = ShareStatus.NO_CHANNEL if channel is None else ShareStatus.NEVER
        session.add(celebration)
        return ""
    celebration.channel_id = channel
    if mode == "always":
        celebration.share_status = ShareStatus.SHARING
        celebration.share_attempts = 1
        session.add(celebration)
        session.flush()
    return mode

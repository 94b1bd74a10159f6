"""What the workspace and the charter allow before anyone is asked to share a celebration:
the channel it would go to, and whether the charter says always, never, or ask."""

from collections.abc import Mapping

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.programme_settings import effective_settings
from storage.models import Celebration, CharterVersion, Pair
from storage.models.goals import ShareStatus
from storage.queries.charter import current_charter


def celebrations_channel(ctx: Tandem, session: Session, pair: Pair) -> str | None:
    """Where the pair's celebrations are announced: its cohort's channel, else the workspace's,
    else the environment's."""
    return effective_settings(session, pair, env=ctx.settings).celebrations_channel


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
    channel = celebrations_channel(ctx, session, pair)
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

"""Whether Tandem may act in a workspace: Slack's uninstall and revocation events stop it; a new
installation brings it back (see storage.queries.workspaces)."""

import logging
from typing import Any

from bot.core.context import Tandem
from bot.core.logs import fields_of
from storage.queries.workspaces import mark_installed, mark_uninstalled

log = logging.getLogger(__name__)

UNINSTALLED = "app uninstalled"
BOT_TOKEN_REVOKED = "bot token revoked"


def stop_workspace(ctx: Tandem, team_id: str, reason: str) -> int:
    """Nothing more is queued or sent for `team_id`; its waiting messages end as expired with
    `reason`. Returns how many messages that ended."""
    with ctx.session() as session:
        ended = mark_uninstalled(session, team_id, reason, ctx.clock.now())
    log.info(
        "%s: stopped; %d waiting message(s) expired", reason, ended, extra=fields_of(team=team_id)
    )
    return ended


def revoked_bot_tokens(event: dict[str, Any]) -> bool:
    """Whether a tokens_revoked event takes the bot's token (user tokens alone change nothing:
    Tandem acts only as its bot)."""
    return bool((event.get("tokens") or {}).get("bot"))


def workspace_installed(ctx: Tandem, team_id: str) -> None:
    """`team_id` installed Tandem (again): queue and send for it as before."""
    with ctx.session() as session:
        if mark_installed(session, team_id, ctx.clock.now()):
            log.info("installed again: resuming", extra=fields_of(team=team_id))

"""`app_uninstalled` and `tokens_revoked`: stop acting in that workspace."""

from slack_bolt import App, BoltContext

from bot.core.context import Tandem
from bot.core.installation import BOT_TOKEN_REVOKED, UNINSTALLED, revoked_bot_tokens, stop_workspace


def register(app: App, ctx: Tandem) -> None:
    """Register the uninstall and token revocation listeners."""

    def uninstalled(context: BoltContext) -> None:
        team_id = context.team_id or ""
        stop_workspace(ctx, team_id, UNINSTALLED)
        if app.installation_store is not None:  # OAuth: that install's tokens are dead
            app.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)

    def tokens_revoked(event: dict, context: BoltContext) -> None:
        if not revoked_bot_tokens(event):
            return
        team_id = context.team_id or ""
        stop_workspace(ctx, team_id, BOT_TOKEN_REVOKED)
        if app.installation_store is not None:
            app.installation_store.delete_bot(enterprise_id=context.enterprise_id, team_id=team_id)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(tokens_revoked)

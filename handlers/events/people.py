"""`user_change`: someone deactivated in Slack leaves their pairs and the matching pool."""

from slack_bolt import App, BoltContext

from bot.core.context import Tandem
from bot.pairs.service import person_left


def register(app: App, ctx: Tandem) -> None:
    """Register the listener for changes to a workspace's members."""

    def user_changed(event: dict, context: BoltContext) -> None:
        user = event.get("user") or {}
        if not user.get("deleted") or not user.get("id"):
            return  # a new title or photo: Tandem refreshes profiles when it needs them
        with ctx.session() as session:
            person_left(session, context.team_id or "", user["id"], ctx.clock.now())

    app.event("user_change")(user_changed)

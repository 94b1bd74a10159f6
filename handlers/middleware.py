"""Global middleware: Slack retries an event it thinks we missed; we handle each event once."""

from collections.abc import Callable

from slack_bolt import App, BoltResponse
from sqlalchemy.exc import IntegrityError

from bot.core.context import Tandem
from bot.core.people import ensure_workspace
from storage.models import ProcessedEvent


def register(app: App, ctx: Tandem) -> None:
    """Install the event de-duplication middleware."""

    def skip_repeated_events(body: dict, next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        team_id = body.get("team_id")
        if not event_id or not team_id:
            next()
            return None
        try:
            with ctx.session() as session:
                ensure_workspace(session, team_id)
                session.add(
                    ProcessedEvent(team_id=team_id, event_id=event_id, received_at=ctx.clock.now())
                )
        except IntegrityError:
            return BoltResponse(status=200, body="")  # seen it: acknowledge, do nothing
        next()
        return None

    app.middleware(skip_repeated_events)

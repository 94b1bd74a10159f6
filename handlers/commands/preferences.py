"""`/tandem preferences`: my own quiet hours, muted and snoozed nudges; `calendar` gives a new
private calendar feed address."""

from sqlmodel import Session

from bot.core.people import ensure_person
from bot.core.results import Refused, Result
from bot.delivery.personal import open_preferences
from bot.meetings.calendar_feed import subscribe
from handlers.commands.request import CommandRequest, SubcommandHandler


def preferences(request: CommandRequest, session: Session) -> Result:
    """Open the preferences modal, or give a new calendar feed address (`calendar`)."""
    ctx, client = request.ctx, request.client
    if request.args.strip().lower() != "calendar":
        return open_preferences(ctx, session, client, request.team_id, request.user_id)
    person = ensure_person(session, client, request.team_id, request.user_id, ctx.clock.now())
    if isinstance(person, Refused):
        return person
    return subscribe(ctx, session, request.team_id, request.user_id, "")


SUBCOMMANDS: dict[str, SubcommandHandler] = {"preferences": preferences}

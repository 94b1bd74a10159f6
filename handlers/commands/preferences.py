"""`/tandem preferences`: my own quiet hours, muted and snoozed nudges."""

from bot.core.people import ensure_person, person_zone
from bot.core.results import Refused
from bot.delivery.personal import preferences_modal
from bot.meetings.calendar_feed import calendar_link
from handlers.commands.request import CommandRequest, SubcommandHandler


def preferences(request: CommandRequest) -> None:
    """Open the preferences modal (anyone may: quiet hours apply before any pair exists)."""
    now = request.ctx.clock.now()
    with request.ctx.session() as session:
        client = request.ctx.client(request.team_id)
        person = ensure_person(session, client, request.team_id, request.user_id, now)
        if isinstance(person, Refused):
            request.reply(person.message)
            return
        if request.args.strip().lower() == "calendar":  # a new private feed address
            public_url = request.ctx.settings.public_url
            request.reply(calendar_link(session, public_url, request.team_id, request.user_id, now))
            return
        view = preferences_modal(session, person, now, person_zone(person, request.ctx.settings))
    request.ack_now()
    request.client.views_open(trigger_id=request.trigger_id, view=view)


SUBCOMMANDS: dict[str, SubcommandHandler] = {"preferences": preferences}

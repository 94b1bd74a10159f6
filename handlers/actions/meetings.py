"""Buttons on meeting messages: Met, Rescheduled, Skipped, Notes, Snooze, calendar, settings."""

import re
from collections.abc import Callable

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.modal_state import clicked, clicked_value
from bot.core.results import Result
from bot.delivery.blocks import SNOOZE_ACTION_PREFIX
from bot.meetings import calendar_feed
from bot.meetings.blocks.messages import (
    ICS,
    LAPSE_LOG,
    LAPSE_MOVE,
    MET,
    MOVE,
    NOTES,
    SETTINGS,
    SKIP,
    SNOOZE,
    SUBSCRIBE,
)
from bot.meetings.blocks.question import ANOTHER_QUESTION
from bot.meetings.questions import another_question
from bot.meetings.service import clicks
from bot.meetings.service.notes_browse import PAGE_ACTION, turn_page
from handlers.render import Asked, UseCase, listener

Click = Callable[[Tandem, Session, str, str, str], Result]


def on_click(click: Click) -> UseCase:
    """The use case of a button whose value names what it is about."""

    def use(asked: Asked, session: Session) -> Result:
        return click(asked.ctx, session, asked.team_id, asked.user_id, clicked_value(asked.body))

    use.__name__ = click.__name__
    return use


def calendar(asked: Asked, session: Session) -> Result:
    """ "Add to calendar": the .ics shared where the button was clicked."""
    channel = (asked.body.get("channel") or {}).get("id") or ""
    value = clicked_value(asked.body)
    return clicks.calendar_file(asked.ctx, session, asked.team_id, asked.user_id, value, channel)


def snooze_nudge(asked: Asked, session: Session) -> Result:
    """The Snooze buttons on any nudge (the action id says until when)."""
    choice = str(clicked(asked.body).get("action_id", "")).removeprefix(SNOOZE_ACTION_PREFIX)
    value = clicked_value(asked.body)
    return clicks.snoozed_until(asked.ctx, session, asked.team_id, asked.user_id, choice, value)


def question(asked: Asked, session: Session) -> Result:
    """ "Another question" on the mentor's reminder: the message it sits in, redrawn."""
    message = asked.body.get("message")
    message = message if isinstance(message, dict) else {}
    value = clicked_value(asked.body)
    return another_question(asked.ctx, session, asked.team_id, asked.user_id, value, message)


def register(app: App, ctx: Tandem) -> None:
    """Register the meeting buttons."""
    for action_id, click in (
        (MET, clicks.met),
        (MOVE, clicks.move),
        (SKIP, clicks.skip),
        (NOTES, clicks.notes),
        (SNOOZE, clicks.snoozed),
        (SETTINGS, clicks.settings),
        (LAPSE_MOVE, clicks.lapse_move),
        (LAPSE_LOG, clicks.lapse_log),
        (PAGE_ACTION, turn_page),
        (SUBSCRIBE, calendar_feed.subscribe),
    ):
        app.action(action_id)(listener(ctx, on_click(click)))
    app.action(ICS)(listener(ctx, calendar))
    app.action(ANOTHER_QUESTION)(listener(ctx, question))
    app.action(re.compile(r"^nudge\.snooze\.[a-z_]+$"))(listener(ctx, snooze_nudge))

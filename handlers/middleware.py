"""Global middleware, run after Bolt has checked the signature: each request applied once.

Slack retries an event it thinks we missed (handled once by event id), and a signed command,
click or submission can be replayed within its five minutes (handled once by bot.core.replays).
Both memories are pruned here, at most once a minute per process, so neither grows forever.
"""

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse, Respond
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.people import ensure_workspace
from bot.core.replays import EVENTS_REMEMBERED_FOR, PRUNE_EVERY, REMEMBER_FOR, request_identity
from handlers.render import SORRY_CLICK, say_by_url, sorry_modal
from storage.queries.replays import (
    forget_events_before,
    forget_requests_before,
    remember_event,
    remember_request,
)

log = logging.getLogger(__name__)

Forget = Callable[[Session, datetime], object]  # forget_events_before, forget_requests_before

TRY_AGAIN = "Sorry, I can't reach my database just now, so nothing was saved. Please try again."


class _Pruner:
    """Forgets what is older than `keep`, at most once per PRUNE_EVERY and on one thread at a
    time, so a busy process does not delete on every request; a failure is logged and tried
    again a minute later."""

    def __init__(self, ctx: Tandem, what: str, keep: timedelta, forget: Forget) -> None:
        self._ctx, self._what, self._keep, self._forget = ctx, what, keep, forget
        self._at: datetime | None = None
        self._lock = threading.Lock()

    def __call__(self, now: datetime) -> None:
        """Prune if the last time was PRUNE_EVERY before `now` (and no other thread is at it)."""
        if self._at is not None and now - self._at < PRUNE_EVERY:
            return
        if not self._lock.acquire(False):
            return
        try:
            self._at = now
            with self._ctx.session() as session:
                self._forget(session, now - self._keep)
        except SQLAlchemyError as error:
            log.warning("could not prune %s: %s", self._what, type(error).__name__)
        finally:
            self._lock.release()


def register(app: App, ctx: Tandem) -> None:
    """Install the de-duplication middleware for events and for replayed requests."""
    app.middleware(_repeated_event_guard(ctx))
    app.middleware(_replay_guard(ctx))


def _repeated_event_guard(ctx: Tandem) -> Callable[..., BoltResponse | None]:
    """Middleware that handles an event once, however often Slack retries it.

    Event ids are remembered on the product's clock, which also decides when they are old.
    """
    prune = _Pruner(ctx, "handled events", EVENTS_REMEMBERED_FOR, forget_events_before)

    def skip_repeated_events(body: dict, next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        team_id = body.get("team_id")
        if not event_id or not team_id:
            next()
            return None
        now = ctx.clock.now()
        try:
            with ctx.session() as session:
                ensure_workspace(session, team_id)
                remember_event(session, team_id, event_id, now)
        except IntegrityError:
            return BoltResponse(status=200, body="")  # seen it: acknowledge, do nothing
        prune(now)
        next()
        return None

    return skip_repeated_events


def _replay_guard(ctx: Tandem) -> Callable[..., BoltResponse | None]:
    """Middleware that applies a command, click or submission once, however often it comes.

    The signature window is Slack's clock, not the product's, so real time is used here.
    """
    prune = _Pruner(ctx, "applied requests", REMEMBER_FOR, forget_requests_before)

    def skip_replayed_requests(
        req: BoltRequest, body: dict, respond: Respond, next: Callable[[], None]
    ) -> BoltResponse | None:
        now = datetime.now(UTC)
        identity = request_identity(body, req.headers, now)
        if identity is None:
            next()
            return None
        try:
            with ctx.session() as session:
                fresh = remember_request(
                    session, identity.key, identity.team_id, identity.signed_at
                )
        except SQLAlchemyError as error:
            log.warning("could not check for a replay; nothing done: %s", type(error).__name__)
            return _unavailable(body, respond)
        if not fresh:
            log.info("ignored a repeat of a request already applied (%s)", _kind(body))
            return BoltResponse(status=200, body="")
        prune(now)
        next()
        return None

    return skip_replayed_requests


def _kind(body: dict[str, Any]) -> str:
    return str(body.get("command") or body.get("type"))


def _unavailable(body: dict[str, Any], respond: Respond) -> BoltResponse:
    """A friendly "try again" in whatever form this kind of request can show."""
    if body.get("command"):
        answer = {"response_type": "ephemeral", "text": TRY_AGAIN}
        return BoltResponse(status=200, body=json.dumps(answer), headers=_JSON)
    if body.get("type") == "view_submission":
        answer = {"response_action": "update", "view": sorry_modal()}
        return BoltResponse(status=200, body=json.dumps(answer), headers=_JSON)
    if body.get("response_url"):
        try:
            say_by_url(respond, SORRY_CLICK)
        except Exception as error:  # the apology is a courtesy; failing it changes nothing
            log.warning("could not say 'try again': %s", type(error).__name__)
    return BoltResponse(status=200, body="")


_JSON = {"content-type": "application/json; charset=utf-8"}

"""The safety net under every button and modal listener.

A bug must never leave Slack waiting: an unacknowledged view submission keeps the modal open
with "We had some trouble connecting", and an unanswered click looks dead. `guarded` logs the
exception, acknowledges if the listener had not yet, and tells the person privately, without
any detail of what broke.
"""

import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.kwargs_injection import Args

from handlers.render import notice_modal

log = logging.getLogger(__name__)

SORRY_SAVE = "Sorry, something went wrong on my side and nothing was saved. Please try again."
SORRY_CLICK = "Sorry, something went wrong on my side. Please try again."


def sorry_modal() -> dict[str, Any]:
    """What a modal turns into when its submission failed."""
    return notice_modal(SORRY_SAVE)


def guarded(listener: Callable[..., None]) -> Callable[..., None]:
    """`listener` (for app.action or app.view) with the safety net; it keeps its arguments."""
    names = inspect.getfullargspec(listener).args

    def safe(args: Args) -> None:
        try:
            listener(**{name: getattr(args, name) for name in names})
        except Exception:
            log.exception("%s failed for %s", listener.__name__, _user_id(args.body))
            _apologise(args)

    safe.__name__ = listener.__name__
    return safe


def _user_id(body: dict[str, Any]) -> str:
    return (body.get("user") or {}).get("id", "")


def _apologise(args: Args) -> None:
    """Answer once, privately; the apology itself failing is only logged."""
    acked = args.ack.response is not None
    if args.body.get("type") == "view_submission":
        if not acked:
            args.ack(response_action="update", view=sorry_modal())
        return
    if not acked:
        args.ack()
    try:
        if args.body.get("response_url"):
            args.respond(text=SORRY_CLICK, response_type="ephemeral", replace_original=False)
        elif user_id := _user_id(args.body):  # a click in a modal or the Home tab
            args.client.chat_postMessage(channel=user_id, text=SORRY_CLICK)
    except Exception:
        log.exception("could not apologise to %s", _user_id(args.body))

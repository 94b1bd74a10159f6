"""Opening, pushing and updating modals, where Slack says no for ordinary reasons.

A modal can be closed before we update it, or changed by another click (`hash_conflict`); a
trigger can expire or be spent; a stack can be full. Those are the person's screen moving on,
not faults: logged at INFO, and the caller carries on. Anything else (blocks Slack refuses, a
bad token) is our fault and raises, so the safety net logs it and apologises.
"""

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

ORDINARY = frozenset(
    {
        "expired_trigger_id",
        "invalid_trigger_id",
        "exchanged_trigger_id",
        "hash_conflict",
        "not_found",
        "view_not_found",
        "push_limit_reached",
    }
)


def _tolerating(method: str, call: Any) -> bool:
    try:
        call()
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        if code not in ORDINARY:
            raise
        log.info("%s did not happen: Slack said %s", method, code)
        return False
    return True


def open_modal(client: WebClient, trigger_id: object, view: dict[str, Any]) -> bool:
    """views.open; False when the trigger could not be used (expired, spent, missing)."""
    if not isinstance(trigger_id, str) or not trigger_id:
        return False
    return _tolerating("views.open", lambda: client.views_open(trigger_id=trigger_id, view=view))


def push_modal(client: WebClient, trigger_id: object, view: dict[str, Any]) -> bool:
    """views.push onto the modal the click came from; False when Slack would not."""
    if not isinstance(trigger_id, str) or not trigger_id:
        return False
    return _tolerating("views.push", lambda: client.views_push(trigger_id=trigger_id, view=view))


def update_modal(
    client: WebClient, view_id: object, view: dict[str, Any], view_hash: object = None
) -> bool:
    """views.update of an open modal; False when it is gone or changed meanwhile."""
    if not isinstance(view_id, str) or not view_id:
        return False
    extra = {"hash": view_hash} if isinstance(view_hash, str) and view_hash else {}
    return _tolerating(
        "views.update", lambda: client.views_update(view_id=view_id, view=view, **extra)
    )

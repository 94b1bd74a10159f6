"""Send requests to a running Bolt app exactly as Slack's servers do.

Payloads are signed with the app's signing secret, use Slack's encodings (form fields for
slash commands, ``payload=<json>`` for interactions, JSON for the Events API) and are built
from the real messages and views stored by :class:`~devkit.emulator.server.SlackEmulator`, so a
test can only click buttons that exist and only submit values a user could enter.

Only the standard library is used for HTTP so the driver runs anywhere the app runs.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from devkit.emulator.payloads import (
    UNSET,
    ElementKey,
    InteractionError,
    action_payload,
    find_element,
    view_state,
)
from devkit.emulator.server import SlackEmulator

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Slack gives up on an app that has not answered (acked) within three seconds.
ACK_DEADLINE = 3.0
_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
_event_numbers = itertools.count(1)


@dataclass
class Response:
    """The app's HTTP answer, plus what the driver used to produce the request."""

    status: int
    headers: dict[str, str]  # lower-cased names
    body: str
    json: Any | None = None
    response_url: str | None = None
    trigger_id: str | None = None
    event_id: str | None = None
    elapsed: float = 0.0
    # What Slack would have shown the user instead of applying the answer (view_submission).
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def timed_out(self) -> bool:
        """Slack would have treated this as a timeout (no ack within 3 seconds)."""
        return self.elapsed > ACK_DEADLINE


@dataclass(frozen=True)
class SentRequest:
    """Exactly what went over the wire (to send the very same bytes again, as a replay)."""

    body: str
    headers: dict[str, str]


class SlackDriver:
    """Drives one Bolt app over HTTP on behalf of users of the emulated workspace."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        emulator: SlackEmulator,
        team_id: str | None = None,
        *,
        verification_token: str = "tandem-verification-token",
        timeout: float = 10.0,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.emulator = emulator
        self.team_id = team_id or emulator.team_id
        self.verification_token = verification_token
        self.timeout = timeout
        # Never route loopback traffic through an HTTP(S)_PROXY from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.last_sent: SentRequest | None = None

    # -- transport ----------------------------------------------------------------------

    def sign(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        """Slack's signature headers for ``body`` (``timestamp`` defaults to now)."""
        ts = int(time.time()) if timestamp is None else int(timestamp)
        base = f"v0:{ts}:{body}".encode()
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}

    def post(
        self,
        body: str,
        *,
        content_type: str = FORM,
        headers: Mapping[str, str] | None = None,
        signed: bool = True,
        timestamp: int | None = None,
    ) -> Response:
        """POST a raw body to the app; ``headers`` override the signature for bad-auth tests."""
        all_headers = {"Content-Type": content_type, "User-Agent": _USER_AGENT}
        if signed:
            all_headers.update(self.sign(body, timestamp))
        all_headers.update(headers or {})
        self.last_sent = SentRequest(body, dict(all_headers))
        return self.send(self.last_sent)

    def replay(self, sent: SentRequest | None = None) -> Response:
        """Send a request again byte for byte, signature and all (the last one by default)."""
        sent = sent or self.last_sent
        if sent is None:
            raise InteractionError("nothing was sent yet, so there is nothing to replay")
        return self.send(sent)

    def send(self, sent: SentRequest) -> Response:
        """POST exactly `sent` to the app."""
        body, all_headers = sent.body, sent.headers
        request = urllib.request.Request(
            self.app_url, data=body.encode(), headers=all_headers, method="POST"
        )
        started = time.monotonic()
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                status, reply_headers, raw = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, raw = error.code, dict(error.headers), error.read()
        elapsed = time.monotonic() - started
        text = raw.decode("utf-8", "replace")
        # Header names are case-insensitive and servers differ; normalise to lower case.
        lowered = {k.lower(): v for k, v in reply_headers.items()}
        return Response(status, lowered, text, _maybe_json(text), elapsed=elapsed)

    def _post_form(self, fields: Mapping[str, Any]) -> Response:
        return self.post(urlencode(fields), content_type=FORM)

    def _post_payload(self, payload: dict[str, Any]) -> Response:
        return self._post_form({"payload": json.dumps(payload)})

    # -- building blocks ----------------------------------------------------------------

    def _user(self, user_id: str) -> dict[str, str]:
        name = self.emulator.user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _team(self) -> dict[str, str]:
        return {"id": self.team_id, "domain": self.emulator.team_domain}

    def _interaction(self, kind: str, user_id: str, trigger_id: str) -> dict[str, Any]:
        return {
            "type": kind,
            "user": self._user(user_id),
            "api_app_id": self.emulator.app_id,
            "token": self.verification_token,
            "trigger_id": trigger_id,
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _current_view(self, view: Mapping[str, Any], user_id: str) -> dict[str, Any]:
        """The version of ``view`` the user sees now; it must be on their screen."""
        data = _unwrap(view, "view")
        view_id = data.get("id")
        if not view_id:
            raise InteractionError("view has no id; pass the view returned by views.open/push")
        current = self.emulator.view(view_id)
        if current is None:
            return dict(data)  # not created through the emulator: trust the caller
        stack = [v["id"] for v in self.emulator.view_stack(user_id)]
        home = self.emulator.home(user_id)
        if view_id not in stack and not (home and home["id"] == view_id):
            raise InteractionError(f"view {view_id} is not open for {user_id}; open: {stack}")
        if self.team_id != self.emulator.team_id:  # another installation's token opened it
            current.update(team_id=self.team_id, app_installed_team_id=self.team_id)
        return current

    def _current_message(
        self, message: Mapping[str, Any], channel_id: str | None
    ) -> tuple[str, dict[str, Any]]:
        data = _unwrap(message, "message")
        channel = channel_id or data.get("channel") or _outer_channel(message)
        ts = data.get("ts")
        if not channel or not ts:
            raise InteractionError("cannot tell which message this is: need its channel and ts")
        channel = self.emulator.resolve_channel(channel)
        current = self.emulator.message_payload(channel, ts)
        if current is None:
            raise InteractionError(f"message {ts} in {channel} does not exist (deleted?)")
        return channel, current

    # -- slash commands -----------------------------------------------------------------

    def command(
        self,
        user_id: str,
        text: str,
        *,
        command: str = "/tandem",
        channel_id: str | None = None,
    ) -> Response:
        """Run ``/command text`` as ``user_id`` (by default in their DM with the app)."""
        channel = channel_id or self.emulator.dm_channel(user_id)
        response_url = self.emulator.new_response_url(channel_id=channel, user_id=user_id)
        trigger_id = self.emulator.issue_trigger(user_id)
        fields = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.emulator.team_domain,
            "channel_id": channel,
            "channel_name": self.emulator.conversation_name(channel),
            "user_id": user_id,
            "user_name": self.emulator.user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.emulator.app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        response = self._post_form(fields)
        response.response_url, response.trigger_id = response_url, trigger_id
        return response

    # -- block actions ------------------------------------------------------------------

    def click(
        self,
        user_id: str,
        action_id: str,
        value: Any = None,
        *,
        block_id: str | None = None,
        message: Mapping[str, Any] | None = None,
        view: Mapping[str, Any] | None = None,
        channel_id: str | None = None,
        values: Mapping[ElementKey, Any] | None = None,
    ) -> Response:
        """Interact with element ``action_id`` in a message or a view (modal or Home).

        For a button ``value`` may be omitted (Slack sends the button's own value); for
        selects, radios, checkboxes, overflows and pickers it is what the user picks.
        ``values`` is what the user has typed into the modal so far (sent as view.state).
        """
        pick = UNSET if value is None else value
        if view is not None:
            current = self._current_view(view, user_id)
            block, element = find_element(current["blocks"], action_id=action_id, block_id=block_id)
            return self._send_view_action(user_id, current, block, element, pick, values)
        if message is not None:
            channel, current = self._current_message(message, channel_id)
            block, element = find_element(current["blocks"], action_id=action_id, block_id=block_id)
            return self._send_message_action(user_id, channel, current, block, element, pick)
        # Ephemeral messages are not stored by Slack, so there are no blocks to look in.
        channel = channel_id or self.emulator.dm_channel(user_id)
        element = {"type": "button", "action_id": action_id}
        if value is not None:
            element["value"] = value
        return self._send_ephemeral_action(user_id, channel, {"block_id": block_id}, element)

    def click_button_in(
        self,
        message_or_view: Mapping[str, Any],
        user_id: str,
        *,
        action_id: str | None = None,
        value: Any = None,
        block_id: str | None = None,
        channel_id: str | None = None,
    ) -> Response:
        """Find an element by ``action_id`` and/or ``value`` in a message or view and use it.

        For a button ``value`` selects which button; for a select/radio/overflow it selects
        which element offers that option and is then the option picked.
        """
        if action_id is None and value is None:
            raise InteractionError("pass action_id and/or value to identify the element")
        data = _unwrap(message_or_view, "view" if _is_view(message_or_view) else "message")
        wanted = UNSET if value is None else value
        if _is_view(message_or_view):
            current = self._current_view(data, user_id)
            block, element = find_element(
                current["blocks"], action_id=action_id, block_id=block_id, value=wanted
            )
            return self._send_view_action(user_id, current, block, element, wanted)
        channel, current = self._current_message(message_or_view, channel_id)
        block, element = find_element(
            current["blocks"], action_id=action_id, block_id=block_id, value=wanted
        )
        return self._send_message_action(user_id, channel, current, block, element, wanted)

    def _send_message_action(
        self,
        user_id: str,
        channel: str,
        message: dict[str, Any],
        block: dict,
        element: dict,
        value: Any,
    ) -> Response:
        trigger_id = self.emulator.issue_trigger(user_id)
        response_url = self.emulator.new_response_url(
            channel_id=channel, user_id=user_id, message_ts=message["ts"]
        )
        payload = self._interaction("block_actions", user_id, trigger_id)
        payload.update(
            container={
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            },
            channel={"id": channel, "name": self.emulator.conversation_name(channel)},
            message=message,
            state={"values": view_state(message.get("blocks") or [], {}, check_required=False)},
            response_url=response_url,
            actions=[action_payload(block, element, value, _now_ts())],
        )
        response = self._post_payload(payload)
        response.trigger_id, response.response_url = trigger_id, response_url
        return response

    def _send_view_action(
        self,
        user_id: str,
        view: dict[str, Any],
        block: dict,
        element: dict,
        value: Any,
        values: Mapping[ElementKey, Any] | None = None,
    ) -> Response:
        trigger_id = self.emulator.issue_trigger(user_id, view_id=view["id"])
        shown = dict(view)
        shown["state"] = {"values": view_state(view["blocks"], values or {}, check_required=False)}
        payload = self._interaction("block_actions", user_id, trigger_id)
        payload.update(
            container={"type": "view", "view_id": view["id"]},
            view=shown,
            actions=[action_payload(block, element, value, _now_ts())],
        )
        response = self._post_payload(payload)
        response.trigger_id = trigger_id
        return response

    def _send_ephemeral_action(
        self, user_id: str, channel: str, block: dict, element: dict
    ) -> Response:
        trigger_id = self.emulator.issue_trigger(user_id)
        response_url = self.emulator.new_response_url(
            channel_id=channel, user_id=user_id, ephemeral=True
        )
        payload = self._interaction("block_actions", user_id, trigger_id)
        payload.update(
            container={
                "type": "message",
                "message_ts": _now_ts(),
                "channel_id": channel,
                "is_ephemeral": True,
            },
            channel={"id": channel, "name": self.emulator.conversation_name(channel)},
            response_url=response_url,
            actions=[action_payload(block, element, element.get("value", UNSET), _now_ts())],
        )
        response = self._post_payload(payload)
        response.trigger_id, response.response_url = trigger_id, response_url
        return response

    # -- shortcuts ----------------------------------------------------------------------

    def message_shortcut(
        self,
        user_id: str,
        callback_id: str,
        message: Mapping[str, Any],
        *,
        channel_id: str | None = None,
    ) -> Response:
        """Use the message shortcut ``callback_id`` on ``message`` (from its "More actions"
        menu), as Slack sends it: a ``message_action`` with the message, its channel, a
        response_url for private answers and a trigger for a modal."""
        channel, current = self._current_message(message, channel_id)
        trigger_id = self.emulator.issue_trigger(user_id)
        response_url = self.emulator.new_response_url(channel_id=channel, user_id=user_id)
        payload = self._interaction("message_action", user_id, trigger_id)
        payload.update(
            callback_id=callback_id,
            action_ts=_now_ts(),
            message_ts=current["ts"],
            message=current,
            channel={"id": channel, "name": self.emulator.conversation_name(channel)},
            response_url=response_url,
        )
        response = self._post_payload(payload)
        response.trigger_id, response.response_url = trigger_id, response_url
        return response

    def global_shortcut(self, user_id: str, callback_id: str) -> Response:
        """Use the global shortcut ``callback_id`` (from the composer's shortcuts menu), as
        Slack sends it: a ``shortcut`` with a trigger and no channel or response_url."""
        trigger_id = self.emulator.issue_trigger(user_id)
        payload = self._interaction("shortcut", user_id, trigger_id)
        payload.update(callback_id=callback_id, action_ts=_now_ts())
        response = self._post_payload(payload)
        response.trigger_id = trigger_id
        return response

    # -- modals -------------------------------------------------------------------------

    def submit_view(
        self,
        user_id: str,
        view: Mapping[str, Any],
        values: Mapping[ElementKey, Any] | None = None,
        *,
        check_required: bool = True,
    ) -> Response:
        """Press the modal's submit button after entering ``values``.

        ``values`` maps an ``action_id`` (or ``(block_id, action_id)``) to what the user
        entered: a string for text/number inputs, an option *value* for selects and radios,
        a list of values for multi-selects and checkboxes, ``date``/``"YYYY-MM-DD"`` for
        datepickers, ``time``/``"HH:MM"`` for timepickers, user/channel ids for pickers.
        The app's answer is then applied to the emulator's modal stack as Slack would.
        """
        current = self._current_view(view, user_id)
        stack = [v["id"] for v in self.emulator.view_stack(user_id)]
        if stack and current["id"] != stack[-1]:
            raise InteractionError(f"only the top modal ({stack[-1]}) can be submitted")
        submitted = dict(current)
        submitted["state"] = {
            "values": view_state(current["blocks"], values or {}, check_required=check_required)
        }
        trigger_id = self.emulator.issue_trigger(user_id, view_id=current["id"])
        payload = self._interaction("view_submission", user_id, trigger_id)
        payload.update(view=submitted, response_urls=[])
        response = self._post_payload(payload)
        response.trigger_id = trigger_id
        if response.ok and not response.timed_out:
            answer = response.json if response.body.strip() else None
            response.problems = self.emulator.apply_view_submission(user_id, current["id"], answer)
        else:
            response.problems = ["Slack shows 'We had some trouble connecting' and keeps the modal"]
        return response

    def submit_crafted(
        self, user_id: str, view: Mapping[str, Any], state: Any, **overrides: Any
    ) -> Response:
        """A view_submission no Slack client could send: ``state`` goes out as is (any shape,
        in place of ``view.state``), the view need not be open, and ``overrides`` replace
        parts of the view (``private_metadata``, ``id``...). The emulator's modals stay as
        they are."""
        submitted = {**dict(_unwrap(view, "view")), **overrides, "state": state}
        trigger_id = self.emulator.issue_trigger(user_id, view_id=submitted.get("id"))
        payload = self._interaction("view_submission", user_id, trigger_id)
        payload.update(view=submitted, response_urls=[])
        response = self._post_payload(payload)
        response.trigger_id = trigger_id
        return response

    def click_crafted(self, user_id: str, action: Mapping[str, Any], **overrides: Any) -> Response:
        """A block_actions payload no Slack client could send: ``action`` is the one element
        clicked, sent as is; ``overrides`` are added to the payload (``view``, ``container``...).
        It comes from the user's DM with a response_url, unless overrides say otherwise."""
        trigger_id = self.emulator.issue_trigger(user_id)
        channel = self.emulator.dm_channel(user_id)
        response_url = self.emulator.new_response_url(channel_id=channel, user_id=user_id)
        payload = self._interaction("block_actions", user_id, trigger_id)
        payload.update(
            container={
                "type": "message",
                "message_ts": _now_ts(),
                "channel_id": channel,
                "is_ephemeral": True,
            },
            channel={"id": channel, "name": self.emulator.conversation_name(channel)},
            response_url=response_url,
            actions=[dict(action)],
        )
        payload.update(overrides)
        response = self._post_payload(payload)
        response.trigger_id, response.response_url = trigger_id, response_url
        return response

    def close_view(self, user_id: str, view: Mapping[str, Any]) -> Response | None:
        """The user dismisses the modal (X / Cancel).

        Slack only tells the app (``view_closed``) when the view set ``notify_on_close``;
        otherwise nothing is sent and None is returned.
        """
        current = self._current_view(view, user_id)
        is_cleared = self.emulator.close_modal(user_id, current["id"])
        if not current.get("notify_on_close"):
            return None
        closed = dict(current)
        closed["state"] = {"values": view_state(current["blocks"], {}, check_required=False)}
        payload = self._interaction("view_closed", user_id, "")
        del payload["trigger_id"]  # view_closed carries no trigger: nothing can be opened
        payload.update(view=closed, is_cleared=is_cleared)
        return self._post_payload(payload)

    # -- Events API ---------------------------------------------------------------------

    def event(
        self,
        event: Mapping[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        event_id: str | None = None,
    ) -> Response:
        """Deliver an Events API ``event_callback`` wrapping ``event``.

        Retries reuse the original ``event_id`` (pass the first Response's ``event_id``)
        and carry ``X-Slack-Retry-Num``/``X-Slack-Retry-Reason`` like Slack's redelivery.
        """
        inner = dict(event)
        inner.setdefault("event_ts", _now_ts())
        event_id = event_id or f"Ev{next(_event_numbers):08d}{secrets.token_hex(2).upper()}"
        envelope = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "context_enterprise_id": None,
            "api_app_id": self.emulator.app_id,
            "event": inner,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.emulator.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{secrets.token_urlsafe(24)}",
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        response = self.post(json.dumps(envelope), content_type=JSON, headers=headers)
        response.event_id = event_id
        return response

    def open_home(self, user_id: str) -> Response:
        """The user opens the app's Home tab (``app_home_opened``, tab ``home``)."""
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.emulator.dm_channel(user_id),
            "tab": "home",
        }
        home = self.emulator.home(user_id)
        if home is not None:
            # Slack includes the currently published Home view, if any.
            event["view"] = home
        return self.event(event)

    def url_verification(self, challenge: str | None = None) -> Response:
        """The handshake Slack performs when the Request URL is saved."""
        body = {
            "token": self.verification_token,
            "challenge": challenge or secrets.token_urlsafe(32),
            "type": "url_verification",
        }
        return self.post(json.dumps(body), content_type=JSON)


def _now_ts() -> str:
    return f"{time.time():.6f}"


def _maybe_json(text: str) -> Any | None:
    if text.strip()[:1] not in ("{", "["):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _data(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    # slack_sdk's SlackResponse keeps the JSON body in .data
    data = getattr(obj, "data", obj)
    return data if isinstance(data, Mapping) else obj


def _unwrap(obj: Mapping[str, Any], key: str) -> dict[str, Any]:
    """Accept an API response (``{"ok": true, key: {...}}``) or the object itself."""
    data = _data(obj)
    if "ok" in data and isinstance(data.get(key), Mapping):
        return dict(data[key])
    return dict(data)


def _outer_channel(obj: Mapping[str, Any]) -> str | None:
    data = _data(obj)
    channel = data.get("channel")
    return channel if isinstance(channel, str) else None


def _is_view(obj: Mapping[str, Any]) -> bool:
    data = _data(obj)
    if "ok" in data:
        return "view" in data
    return data.get("type") in ("modal", "home") and "ts" not in data

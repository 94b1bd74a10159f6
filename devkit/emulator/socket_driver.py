"""Drive an app connected in Socket Mode: the same commands, clicks, submissions and events as
:class:`SlackDriver`, delivered as envelopes over the app's WebSocket instead of signed HTTP."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from devkit.emulator.driver import FORM, JSON, Response, SlackDriver
from devkit.emulator.server import SlackEmulator


class SocketModeDriver(SlackDriver):
    """A :class:`SlackDriver` whose transport is the emulator's Socket Mode endpoint.

    The Response of each action is built from the app's ack: ``json`` is the ack's payload
    (what an HTTP app would have answered), ``elapsed`` the time the ack took; an envelope
    nobody acked is a 504 (Slack shows the user an error).
    """

    def __init__(self, emulator: SlackEmulator, team_id: str | None = None) -> None:
        super().__init__("socket-mode", "", emulator, team_id)

    def post(
        self,
        body: str,
        *,
        content_type: str = FORM,
        headers: Mapping[str, str] | None = None,
        signed: bool = True,
        timestamp: int | None = None,
    ) -> Response:
        """Deliver what SlackDriver would have POSTed, as the matching envelope."""
        retry_num = (headers or {}).get("X-Slack-Retry-Num")
        if content_type == JSON:
            kind, payload, accepts = "events_api", json.loads(body), False
        else:
            fields = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
            if "payload" in fields:
                kind, payload, accepts = "interactive", json.loads(fields["payload"]), True
            else:
                kind, payload, accepts = "slash_commands", fields, True
        ack = self.emulator.socket_mode.deliver(
            kind,
            payload,
            accepts_response_payload=accepts,
            retry_attempt=int(retry_num) if retry_num else None,
            retry_reason=(headers or {}).get("X-Slack-Retry-Reason", ""),
        )
        if ack is None:
            return Response(504, {}, "no ack", elapsed=10.0)
        answer: Any = ack.payload if accepts else None
        text = json.dumps(answer) if answer else ""
        return Response(200, {}, text, answer or None, elapsed=ack.elapsed)

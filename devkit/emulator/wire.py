"""The HTTP wire format of Slack's Web API: request decoding and edge-style failures.

slack_sdk sends arguments as a query string (GET), a form body, a JSON body or multipart
(uploads); Slack decodes JSON-valued form fields itself. Injected failures are rendered the
way Slack's edge answers: 429 + ``Retry-After`` with a JSON body, bare HTML for 5xx.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

# Form-encoded requests carry these as JSON strings; Slack decodes them server-side.
_JSON_FIELDS = ("blocks", "view", "metadata", "attachments", "files")

_EDGE_ERROR_PAGES = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


@dataclass
class Fault:
    """A queued failure for one method (see ``SlackEmulator.fail_next``)."""

    status: int
    error: str
    retry_after: float
    remaining: int
    body: str | None

    def render(self) -> tuple[int, dict[str, str], bytes, dict[str, Any]]:
        """(status, headers, body, recorded response) the way Slack's edge would answer."""
        if self.status >= 500:
            if self.body is not None:
                text = self.body
            elif self.status in _EDGE_ERROR_PAGES:
                reason = _EDGE_ERROR_PAGES[self.status]
                text = (
                    f"<html><head><title>{self.status} {reason}</title></head>"
                    f"<body><h1>{self.status} {reason}</h1></body></html>"
                )
            else:
                text = ""
            headers = {"Content-Type": "text/html; charset=utf-8"} if text else {}
            recorded = {"ok": False, "error": f"http_{self.status}", "body": text}
            return self.status, headers, text.encode(), recorded
        payload = {"ok": False, "error": self.error}
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.status == 429:
            headers["Retry-After"] = str(int(self.retry_after))
        body = self.body if self.body is not None else json.dumps(payload)
        return self.status, headers, body.encode(), payload


# The 5xx a flaky edge answers; after a 500 or a 504 the request may have been applied.
SERVER_ERRORS = (500, 502, 503, 504)
MAYBE_APPLIED = (500, 504)


class FaultRate:
    """Random failures for one method (see ``SlackEmulator.set_fault_rate``), reproducible
    from ``seed``."""

    def __init__(
        self,
        server_errors: float,
        rate_limited: float,
        retry_after: int,
        applied_anyway: float,
        seed: int | None,
    ) -> None:
        if server_errors < 0 or rate_limited < 0 or server_errors + rate_limited > 1:
            raise ValueError("rates are shares of calls: each at least 0, together at most 1")
        self.server_errors = server_errors
        self.rate_limited = rate_limited
        self.retry_after = retry_after
        self.applied_anyway = applied_anyway
        self._random = random.Random(seed)

    def draw(self) -> tuple[Fault | None, bool]:
        """This call's failure (None: it goes through), and whether to apply it anyway first."""
        roll = self._random.random()
        if roll < self.server_errors:
            status = self._random.choice(SERVER_ERRORS)
            applied = status in MAYBE_APPLIED and self._random.random() < self.applied_anyway
            return Fault(status, f"http_{status}", 0, 1, None), applied
        if roll < self.server_errors + self.rate_limited:
            return Fault(429, "ratelimited", self.retry_after, 1, None), False
        return None, False


def bearer_token(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[len("bearer ") :].strip() or None
    return None


def parse_form(text: str) -> dict[str, Any]:
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _decode_json_fields(args: dict[str, Any]) -> dict[str, Any]:
    for key in _JSON_FIELDS:
        value = args.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            # Undecodable values stay strings: the handler reports Slack's *_format error.
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


def parse_body(content_type: str, raw: bytes) -> tuple[dict[str, Any], bool, str | None]:
    """(args, is_json, error) for a request body in any encoding slack_sdk uses."""
    kind = content_type.split(";")[0].strip().lower()
    if not raw:
        return {}, kind == "application/json", None
    if kind == "application/json":
        try:
            parsed = json.loads(raw)
        except ValueError:
            return {}, True, "invalid_json"
        if not isinstance(parsed, dict):
            return {}, True, "invalid_json"
        return parsed, True, None
    if kind == "multipart/form-data":
        return _decode_json_fields(_multipart_fields(content_type, raw)), False, None
    return _decode_json_fields(parse_form(raw.decode("utf-8", "replace"))), False, None


def _multipart_parts(content_type: str, raw: bytes) -> list[Any]:
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + raw)
    return list(message.iter_parts()) if message.is_multipart() else []


def _multipart_fields(content_type: str, raw: bytes) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for part in _multipart_parts(content_type, raw):
        name = part.get_param("name", header="content-disposition")
        if name and part.get_filename() is None:
            fields[name] = part.get_payload(decode=True).decode("utf-8", "replace")
    return fields


def multipart_file(content_type: str, raw: bytes) -> bytes:
    for part in _multipart_parts(content_type, raw):
        if part.get_filename() is not None:
            return part.get_payload(decode=True) or b""
    return raw

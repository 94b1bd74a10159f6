"""The door in front of Bolt: a request that is not signed by Slack goes no further.

Bolt's own check calls `int()` on `X-Slack-Request-Timestamp` before it looks at the signature,
so "", "abc" or "1.5" ended as HTTP 500 with an ERROR traceback: anyone who could reach the
endpoint could produce them. And when a signature is wrong or stale, Bolt logs the whole body
at INFO, private notes included. So every POST to the events path is checked here first: a
timestamp of plain digits, a body that is UTF-8, a signature that matches within Slack's
five minutes. A refusal is HTTP 401 and one INFO line that carries nothing the sender wrote.
"""

import io
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

# Seconds since the epoch, as Slack sends them; 12 digits reach the year 33658, and a bound
# keeps int() away from Python's limit on huge numbers.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# Slack's bodies are a few kB; a modal with every field filled stays far below this.
MAX_BODY_BYTES = 1_000_000
_LENGTH = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Refusal:
    """Why a request was turned away (for the log line; the caller only sees 401)."""

    reason: str


def check_signed(environ: dict[str, Any], signing_secret: str | None) -> Refusal | None:
    """None when the request is Slack's; else why not. Leaves the body readable again."""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    if timestamp is None or signature is None:
        return Refusal("no signature headers")
    if not _TIMESTAMP.fullmatch(timestamp):
        return Refusal("a timestamp that is not a number")
    if not signing_secret:
        return Refusal("no signing secret configured")
    body = _read_body(environ)
    if body is None:
        return Refusal("a body that is not UTF-8 or too large")
    verifier = SignatureVerifier(signing_secret)
    if not verifier.is_valid(body, timestamp, signature):
        return Refusal("a wrong or stale signature")
    return None


def _read_body(environ: dict[str, Any]) -> str | None:
    """The body as text, put back for Bolt to read; None when it can't be Slack's."""
    length_text = environ.get("CONTENT_LENGTH") or "0"
    if not _LENGTH.fullmatch(length_text) or int(length_text) > MAX_BODY_BYTES:
        return None
    raw = environ["wsgi.input"].read(int(length_text)) if "wsgi.input" in environ else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def refuse(environ: dict[str, Any], refusal: Refusal, start_response: Any) -> list[bytes]:
    """Answer 401, and log it once at INFO without any of the request's content."""
    log.info(
        "refused a request to %s from %s: %s",
        environ.get("PATH_INFO", ""),
        environ.get("REMOTE_ADDR", "?"),
        refusal.reason,
    )
    payload = b'{"error":"invalid request"}'
    start_response(
        "401 Unauthorized",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]

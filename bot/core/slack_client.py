"""Web API clients that retry what Slack asks to be retried, and what Slack asked us to wait
for."""

import threading
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler, default_interval_calculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

SLACK_TIMEOUT_SECONDS = 10
# Quick retries before the outbox's own backoff: slack_sdk waits 0.5 s, then 1 s, each plus up
# to 1 s of random jitter (QUICK_RETRY_WAITS; a test passes waits that sleep no real time).
QUICK_RETRIES = 2
QUICK_RETRY_WAITS: RetryIntervalCalculator = default_interval_calculator
SERVER_ERRORS = (500, 502, 503, 504)
# Answers that prove a post did not happen: the edge had no server to hand it to.
NOT_POSTED = (502, 503)


def _is_post(request: HttpRequest) -> bool:
    return request.url.rstrip("/").endswith("/chat.postMessage")


def _never_sent(error: Exception | None) -> bool:
    """A connection error raised before the request left (refused, unreachable)."""
    reason = error.reason if isinstance(error, URLError) else error
    return isinstance(reason, OSError) and not isinstance(
        reason, ConnectionResetError | TimeoutError
    )


class _ServerErrors(ServerErrorRetryHandler):
    """Retries 500, 502, 503 and 504 (slack_sdk's default is only 500 and 503); for
    chat.postMessage only 502 and 503, as after a 500 or 504 the message may have been posted
    and only the outbox (which looks in the history first) may try again."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        codes = NOT_POSTED if _is_post(request) else SERVER_ERRORS
        return response is not None and response.status_code in codes


class _ConnectionErrors(ConnectionErrorRetryHandler):
    """Retries dropped connections; for chat.postMessage only those that never reached Slack
    (a reset after sending may have posted: the outbox checks the history before retrying)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return not _is_post(request) or _never_sent(error)


# A listener waits out a 429 inside the call only when Slack asks for this little: a trigger_id
# lives 3 s, and a listener asleep for a minute holds a thread every other request waits for.
LISTENER_MOST_WAIT = 2


class _ShortRateLimitWaits(RateLimitErrorRetryHandler):
    """slack_sdk's 429 retry (it sleeps Retry-After), only when Retry-After is short: a longer
    wait is the caller's to handle (the outbox's pace, the tick, a sentence to the person)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        for name, values in response.headers.items():
            if name.lower() == "retry-after":
                value = values[0] if isinstance(values, list) else values
                try:
                    return float(value) <= LISTENER_MOST_WAIT
                except ValueError:
                    return False
        return True  # no Retry-After: slack_sdk waits a second or two


def _watched(watch: RetryHandler | None, handlers: list[RetryHandler]) -> list[RetryHandler]:
    """`handlers` after `watch` (bot.core.metrics' counter of answers, which retries nothing):
    slack_sdk asks each handler in turn, so the first one sees every attempt."""
    return [watch, *handlers] if watch is not None else handlers


def interactive_client(
    token: str | None,
    base_url: str,
    watch: RetryHandler | None = None,
    waits: RetryIntervalCalculator = QUICK_RETRY_WAITS,
) -> WebClient:
    """A client for listeners: one quick retry on 5xx (after `waits`), and on a 429 asking for
    at most `LISTENER_MOST_WAIT` seconds, since a trigger_id lives 3 s."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=_watched(
            watch,
            [
                ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=waits),
                _ShortRateLimitWaits(max_retry_count=1),
                ServerErrorRetryHandler(max_retry_count=1, interval_calculator=waits),
            ],
        ),
    )


def delivery_client(
    token: str | None,
    base_url: str,
    watch: RetryHandler | None = None,
    waits: RetryIntervalCalculator = QUICK_RETRY_WAITS,
) -> WebClient:
    """A client for the outbox: quick jittered retries of server and connection errors (after
    `waits`).

    No rate-limit handler: slack_sdk's would sleep inside the call, holding up every other
    channel; the sender itself waits out Retry-After per channel and per workspace
    (bot/delivery/pace.py) and keeps posting elsewhere meanwhile.
    """
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=_watched(
            watch,
            [
                _ConnectionErrors(max_retry_count=QUICK_RETRIES, interval_calculator=waits),
                _ServerErrors(max_retry_count=QUICK_RETRIES, interval_calculator=waits),
            ],
        ),
    )


def without_rate_limit_waits(client: WebClient) -> WebClient:
    """`client` (same token, address and other retries) answering a 429 at once instead of
    sleeping Retry-After inside the call: for a call in a listener that can be left to the
    tick, since a sleeping listener holds one of the few threads every click waits for."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        headers=dict(client.headers),
        retry_handlers=[
            handler
            for handler in client.retry_handlers
            if not isinstance(handler, RateLimitErrorRetryHandler)
        ],
    )


def retry_after(error: SlackApiError) -> float | None:
    """The seconds a 429 asked us to wait (1 when it named none), or None for any other error."""
    response = error.response
    if response is None or response.status_code != 429:
        return None
    value = (response.headers or {}).get("Retry-After") or (response.headers or {}).get(
        "retry-after"
    )
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(float(value), 1.0) if value is not None else 1.0
    except ValueError:
        return 1.0


class SlackWaits:
    """When Slack said a method may be called again in a workspace, on the app's clock, so
    that callers outside the outbox (which keeps its own pace) ask again only after that.

    Per process: another replica learns Slack's answer from its own 429, once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[tuple[str, str], datetime] = {}

    def refused(self, team_id: str, method: str, now: datetime, seconds: float) -> None:
        """Slack answered `method` in `team_id` with 429 and Retry-After `seconds`."""
        with self._lock:
            until = now + timedelta(seconds=seconds)
            key = (team_id, method)
            self._until[key] = max(self._until.get(key, until), until)

    def waiting(self, team_id: str, method: str, now: datetime) -> bool:
        """Whether Slack asked us not to call `method` in `team_id` before some moment after
        `now`."""
        with self._lock:
            until = self._until.get((team_id, method))
            return until is not None and until > now

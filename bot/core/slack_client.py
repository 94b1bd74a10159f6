"""Web API clients that retry what Slack asks to be retried."""

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

SLACK_TIMEOUT_SECONDS = 10


def interactive_client(token: str | None, base_url: str) -> WebClient:
    """A client for listeners: one quick retry on 429/5xx, since a trigger_id lives 3 s."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def delivery_client(token: str | None, base_url: str) -> WebClient:
    """A client for the outbox: no in-process retries; the outbox reschedules, never sleeps."""
    return WebClient(
        token=token, base_url=base_url, timeout=SLACK_TIMEOUT_SECONDS, retry_handlers=[]
    )

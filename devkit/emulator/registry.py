"""Plumbing shared by the Web API method modules: the handler table and argument parsing.

Arguments arrive as strings (query/form) or JSON values; these helpers read them the lenient
way Slack does ("1"/"true"/True are all true) and raise :class:`SlackError` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devkit.emulator.workspace import SlackError, Workspace


@dataclass(frozen=True)
class MethodContext:
    """What a handler may use besides its arguments."""

    ws: Workspace
    now: Callable[[], float]  # the emulator's monotonic clock (trigger expiry)
    trigger_ttl: float
    root_url: str  # "http://127.0.0.1:PORT/" for URLs the emulator hands out


Handler = Callable[[MethodContext, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Method:
    handler: Handler
    # Slack reads JSON bodies only for some (mostly write) methods and silently ignores
    # them elsewhere; mirroring that catches `api_call(..., json=...)` misuse early.
    accepts_json: bool


class MethodTable(dict[str, Method]):
    """A name → :class:`Method` mapping with a registering decorator."""

    def register(self, name: str, *, accepts_json: bool = False) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self[name] = Method(handler, accepts_json)
            return handler

        return decorate


def invalid_arguments(*messages: str) -> SlackError:
    return SlackError(
        "invalid_arguments", response_metadata={"messages": [f"[ERROR] {m}" for m in messages]}
    )


def arg_str(args: dict[str, Any], key: str) -> str | None:
    """A string argument; empty means absent (Slack treats ``channel=`` as missing)."""
    value = args.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def arg_flag(args: dict[str, Any], key: str) -> bool:
    value = args.get(key)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true")


def arg_int(args: dict[str, Any], key: str, default: int) -> int:
    value = args.get(key)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_arguments(f"must be an integer [json-pointer:/{key}]") from None

"""An HTTP Slack Web API emulator for tests and demos, driven by real ``slack_sdk`` clients.

It speaks the wire format ``slack_sdk.WebClient`` uses (GET query strings, form posts, JSON
posts with a bearer token), keeps workspace state, records every call, and can inject the
failures Slack's edge produces (429 with ``Retry-After``, bare 5xx) and latency.

Example::

    with SlackEmulator() as slack:
        slack.add_user("U1", "ada", tz="Europe/Paris")
        client = WebClient(token=slack.token, base_url=slack.url)
        client.chat_postMessage(channel="U1", text="hi")
        assert slack.messages(slack.dm_channel("U1"))[0]["text"] == "hi"
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from devkit.emulator import methods, shared_files, views
from devkit.emulator.ratelimit import RateLimiter, RateLimits
from devkit.emulator.registry import Method, MethodContext
from devkit.emulator.socket_mode import SocketModeEndpoint
from devkit.emulator.wire import (
    Fault,
    FaultRate,
    bearer_token,
    multipart_file,
    parse_body,
    parse_form,
)
from devkit.emulator.workspace import Message, SlackError, UploadedFile, Workspace, ts_key


@dataclass(frozen=True)
class Call:
    """One request the emulator answered, in arrival order.

    ``method`` is the Web API method name, or ``"response_url"`` / ``"file_upload"`` for
    posts to URLs the emulator handed out (``url`` is the full URL that was hit; these two
    pseudo-methods also accept ``fail_next``/``set_latency``). ``at`` is ``time.monotonic()``
    (immune to time-travel in tests). Non-JSON answers (injected 5xx) are recorded as
    ``{"ok": False, "error": "http_<status>", "body": ...}``.
    """

    method: str
    args: dict[str, Any]
    response: dict[str, Any]
    at: float
    status: int = 200
    injected: bool = False
    url: str = ""
    # The rate limiter's clock when the call was admitted or refused (None: no limits on):
    # real seconds plus whatever `SlackEmulator.pass_time` added.
    rate_at: float | None = None


RATELIMITED: dict[str, Any] = {"ok": False, "error": "ratelimited"}
# Methods that take the app-level token (xapp-) instead of the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
# Methods authenticated by the app's client id and secret (HTTP Basic), not by a token.
CLIENT_METHODS = frozenset({"oauth.v2.access"})
# A response_url works for 30 minutes and at most five posts.
RESPONSE_URL_TTL = 30 * 60
RESPONSE_URL_MAX_USES = 5


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    emulator: SlackEmulator


class _RequestHandler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "SlackEmulator/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.emulator._serve(self)

    def do_POST(self) -> None:  # noqa: N802
        self.server.emulator._serve(self)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Test output stays readable; every request is in emulator.calls() instead.
        return


class SlackEmulator:
    """A local Slack Web API (``/api/<method>``) plus upload and response_url endpoints."""

    def __init__(
        self,
        team_id: str = "T0TANDEM",
        team_name: str = "Tandem Test",
        bot_user_id: str = "UTANDEMBOT",
        bot_id: str = "BTANDEM",
        token: str = "xoxb-test-token",
        *,
        app_id: str = "ATANDEM",
        bot_name: str = "tandem",
        trigger_ttl: float = 3.0,
        rate_limits: RateLimits | None = None,
        app_token: str = "xapp-1-ATANDEM-test-token",
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.token = token
        self.app_id = app_id
        self.bot_name = bot_name
        self.app_token = app_token
        self._initial_trigger_ttl = trigger_ttl
        # Without explicit limits, TANDEM_EMULATOR_RATE_LIMITS=slack turns Slack's tiers on.
        self._initial_rate_limits = (
            rate_limits if rate_limits is not None else RateLimits.from_environment()
        )
        self._methods: dict[str, Method] = {
            **methods.HANDLERS,
            **views.HANDLERS,
            **shared_files.HANDLERS,
        }
        # Socket Mode: apps.connections.open (app-level token only) hands out ws:// URLs.
        self._methods["apps.connections.open"] = Method(self._open_connection, accepts_json=False)
        self._methods["oauth.v2.access"] = Method(self._oauth_access, accepts_json=False)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        # URLs move to a new path at each `reset`; requests being answered are counted, so a
        # reset can wait for them.
        self._generation = 0
        self._answering = 0
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._fresh_state()

    def _fresh_state(self) -> None:
        """Everything a test can see or change, as a new emulator has it."""
        self.trigger_ttl = self._initial_trigger_ttl
        # Trigger expiry is measured on this clock; tests may swap it to age triggers.
        self.clock: Callable[[], float] = time.monotonic
        self._ws = Workspace(
            team_id=self.team_id,
            team_name=self.team_name,
            bot_user_id=self.bot_user_id,
            bot_id=self.bot_id,
            app_id=self.app_id,
            bot_name=self.bot_name,
        )
        self.socket_mode = SocketModeEndpoint(self.app_id)
        self._revoked: set[str] = set()
        # code → (team, bot token, Grid organisation or None, installed organisation-wide)
        self._oauth_codes: dict[str, tuple[str, str, str | None, bool]] = {}
        # Other installations' bot tokens (token → team id): same workspace data, own limits.
        self._team_tokens: dict[str, str] = {}
        self._calls: list[Call] = []
        self._faults: dict[str, list[Fault]] = {}
        self._fault_rates: dict[str, FaultRate] = {}
        self._latency: dict[str, float] = {}
        self.rate_limiter: RateLimiter | None = None
        self.set_rate_limits(self._initial_rate_limits)

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> SlackEmulator:
        """Listen on an ephemeral 127.0.0.1 port in a daemon thread; returns self."""
        if self._server is not None:
            return self
        server = _HTTPServer(("127.0.0.1", 0), _RequestHandler)
        server.emulator = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"slack-emulator-{server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port (idempotent)."""
        server, self._server = self._server, None
        if server is None:
            return
        self.socket_mode.stop()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def reset(self, settle_timeout: float = 10.0) -> None:
        """Become a new emulator on the same port, so a test suite can share one server.

        The workspace (people, channels, messages, views, files), the recorded calls, faults,
        fault rates, latency, rate limits, revoked tokens, the trigger clock and TTL, and
        Socket Mode (its connections are closed) are all as after construction.

        The URLs move to a new path (``root_url`` and ``url`` change), and a request to an
        earlier one is answered 410 without being recorded: whatever is still calling from
        before the reset (a listener thread that outlived its test) cannot reach the new state,
        just as it could not reach a stopped emulator. Requests already being answered are
        waited for (at most ``settle_timeout`` seconds), so none lands after the reset.
        """
        with self._changed:
            self._generation += 1
            self._changed.wait_for(lambda: self._answering == 0, settle_timeout)
            self.socket_mode.stop()
            self._fresh_state()
            self._changed.notify_all()

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT/`` — where upload and response URLs live."""
        if self._server is None:
            raise RuntimeError("SlackEmulator is not started; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self._path_prefix(self._generation)}/"

    @property
    def url(self) -> str:
        """The Web API base URL for ``WebClient(base_url=...)``; ends with a slash."""
        return self.root_url + "api/"

    # -- workspace setup ----------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "Europe/London",
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
        is_owner: bool = False,
        email: str | None = None,
        team_id: str | None = None,
    ) -> None:
        """Create or replace a workspace member (``deleted=True`` is a deactivated account).

        ``email`` defaults to ``name@<domain>.test`` for people (bots have none). ``team_id``
        makes them a member of another workspace Slack also answers about (Slack Connect).
        """
        with self._lock:
            self._ws.add_user(
                user_id,
                name,
                tz=tz,
                real_name=real_name,
                is_bot=is_bot,
                deleted=deleted,
                is_admin=is_admin,
                is_owner=is_owner,
                email=email,
                team_id=team_id,
            )

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_archived: bool = False,
        bot_is_member: bool = True,
        is_private: bool = False,
        members: list[str] | None = None,
    ) -> None:
        """Create a channel. ``members=None`` means every active human user is in it."""
        with self._lock:
            self._ws.add_channel(
                channel_id,
                name,
                is_archived=is_archived,
                bot_is_member=bot_is_member,
                is_private=is_private,
                members=members,
            )

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str,
        blocks: list[dict] | None = None,
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """Seed a message written by a human (e.g. history the bot should read)."""
        with self._lock:
            channel_id = self._channel_id(channel)
            message = self._ws.add_message(
                Message(
                    channel=channel_id,
                    ts=self._ws.new_ts(),
                    text=text,
                    user=user,
                    blocks=self._ws.with_generated_ids(blocks),
                    thread_ts=thread_ts,
                )
            )
            return self._public_message(message)

    @property
    def team_domain(self) -> str:
        """The workspace subdomain derived from the team name (``tandem-test``)."""
        return self._ws.domain

    def resolve_channel(self, channel: str) -> str:
        """A conversation id for an id, a ``#name``, or a user id (their IM with the bot)."""
        with self._lock:
            return self._channel_id(channel)

    def dm_channel(self, user_id: str) -> str:
        """The bot's IM channel id with ``user_id`` (stable; same as chat.postMessage uses)."""
        return self._ws.dm_channel_id(user_id)

    # -- inspection ---------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls, oldest first, optionally only those to ``method``."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def clear_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def wait_for(
        self,
        predicate_or_method: str | Callable[[Call], bool],
        timeout: float = 20.0,
        *,
        count: int = 1,
    ) -> list[Call]:
        """Block until ``count`` recorded calls match; returns all the matching calls.

        It returns as soon as the calls are there, so the generous default costs only a test
        that is failing anyway; a loaded two-core CI machine can take several seconds to get a
        background listener through a few Slack calls.

        ``predicate_or_method`` is a method name (``"chat.postMessage"``) or a function of a
        :class:`Call`. Raises ``AssertionError`` listing every call seen on timeout, which is
        what you want when a background listener never got there.
        """
        if isinstance(predicate_or_method, str):
            name = predicate_or_method

            def matches(call: Call) -> bool:
                return call.method == name

            description = repr(name)
        else:
            matches = predicate_or_method
            description = getattr(predicate_or_method, "__name__", repr(predicate_or_method))
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self._calls if matches(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} call(s) matching "
                        f"{description}; got {len(found)}.\n{self.dump_calls()}"
                    )
                self._changed.wait(remaining)

    def dump_calls(self) -> str:
        """A readable listing of every recorded call (used in assertion messages)."""
        with self._lock:
            if not self._calls:
                return "no calls were made to the emulator"
            start = self._calls[0].at
            lines = [f"{len(self._calls)} call(s):"]
            for index, call in enumerate(self._calls, 1):
                outcome = "ok" if call.response.get("ok") else f"error={call.response.get('error')}"
                args = json.dumps(call.args, default=str, ensure_ascii=False)
                if len(args) > 300:
                    args = args[:297] + "..."
                flag = " [injected]" if call.injected else ""
                lines.append(
                    f"  {index:>3}. +{call.at - start:.3f}s {call.method} -> {call.status} "
                    f"{outcome}{flag} {args}"
                )
            return "\n".join(lines)

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Current messages (after updates and deletes), oldest first.

        Each dict has channel, ts, text, blocks, metadata, user, thread_ts, files. ``channel``
        may be a conversation id or a user id (meaning the bot's IM with that user).
        """
        with self._lock:
            if channel is None:
                stored = [m for msgs in self._ws.messages.values() for m in msgs]
            else:
                stored = list(self._ws.messages.get(self._channel_id(channel), []))
            stored.sort(key=lambda m: (ts_key(m.ts), m.channel))
            return [self._public_message(m) for m in stored]

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """One current message, or None if it does not exist (any more)."""
        with self._lock:
            found = self._ws.find_message(self._channel_id(channel), ts)
            return self._public_message(found) if found else None

    def message_payload(self, channel: str, ts: str) -> dict[str, Any] | None:
        """A message in the Web API shape Slack embeds in interaction payloads."""
        with self._lock:
            found = self._ws.find_message(self._channel_id(channel), ts)
            return self._ws.message_json(found) if found else None

    def ephemeral_messages(
        self, channel: str | None = None, user: str | None = None
    ) -> list[dict[str, Any]]:
        """Ephemeral messages (chat.postEphemeral and response_url replies), oldest first."""
        with self._lock:
            channel_id = self._channel_id(channel) if channel else None
            return [
                copy.deepcopy(e)
                for e in self._ws.ephemerals
                if (channel_id is None or e["channel"] == channel_id)
                and (user is None or e["user"] == user)
            ]

    def open_view(self, user_id: str) -> dict[str, Any] | None:
        """The modal ``user_id`` is looking at (top of their stack), or None."""
        with self._lock:
            top = self._ws.top_view(user_id)
            return copy.deepcopy(top) if top else None

    def view_stack(self, user_id: str) -> list[dict[str, Any]]:
        """The user's modal stack, root first."""
        with self._lock:
            stack = self._ws.modal_stacks.get(user_id, [])
            return [copy.deepcopy(self._ws.views[v]) for v in stack]

    def home(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab view last published for ``user_id``, or None."""
        with self._lock:
            view_id = self._ws.homes.get(user_id)
            return copy.deepcopy(self._ws.views[view_id]) if view_id else None

    def view(self, view_id: str) -> dict[str, Any] | None:
        """The latest version of any view by id (modal or home, open or closed)."""
        with self._lock:
            found = self._ws.views.get(view_id)
            return copy.deepcopy(found) if found else None

    def files(self) -> list[UploadedFile]:
        """Files uploaded through files.getUploadURLExternal + upload + complete."""
        with self._lock:
            return [copy.deepcopy(f) for f in self._ws.files.values() if f.completed]

    def user_name(self, user_id: str) -> str:
        with self._lock:
            user = self._ws.users.get(user_id)
            return user.name if user else user_id

    def conversation_name(self, channel_id: str) -> str:
        """The name Slack puts in payloads: channel name, ``directmessage`` or ``mpdm-...``."""
        with self._lock:
            conversation = self._ws.find_conversation(channel_id)
            if conversation is None:
                return channel_id
            return "directmessage" if conversation.is_im else conversation.name

    # -- tokens and Socket Mode ---------------------------------------------------------

    def revoke(self, token: str | None = None) -> None:
        """Slack revokes `token` (default: the bot token), as on uninstall: calls with it now
        answer ``token_revoked``."""
        with self._lock:
            self._revoked.add(token or self.token)

    def _open_connection(self, ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.socket_mode.new_url()}

    def oauth_code(
        self, team_id: str, token: str, enterprise_id: str | None = None, org_wide: bool = False
    ) -> str:
        """A one-time code Slack would hand the browser after someone installs the app in
        `team_id`; oauth.v2.access exchanges it (once) for the bot token `token`. In an
        Enterprise Grid organisation `enterprise_id`; `org_wide` for an install in the whole
        organisation (Slack then names no team)."""
        with self._lock:
            self._team_tokens[token] = team_id
            code = f"code-{team_id}-{len(self._oauth_codes)}"
            self._oauth_codes[code] = (team_id, token, enterprise_id, org_wide)
            return code

    def _oauth_access(self, ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
        granted = self._oauth_codes.pop(str(args.get("code")), None)
        if granted is None:  # unknown, or spent already: codes work once
            return {"ok": False, "error": "invalid_code"}
        team_id, token, enterprise_id, org_wide = granted
        enterprise = {"id": enterprise_id, "name": enterprise_id} if enterprise_id else None
        return {
            "ok": True,
            "app_id": self.app_id,
            "authed_user": {"id": "UINSTALLER"},
            "scope": "chat:write,commands",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": self.bot_user_id,
            "team": None if org_wide else {"id": team_id, "name": team_id},
            "enterprise": enterprise,
            "is_enterprise_install": org_wide,
        }

    # -- fault injection ----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        error: str = "ratelimited",
        retry_after: float = 1,
        times: int = 1,
        body: str | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` (``"*"``: any) fail before running.

        429 answers carry ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``;
        5xx answers carry an HTML page (or nothing for 503) like Slack's edge; any other
        status, e.g. 200, answers ``{"ok": false, "error": error}``.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = Fault(status, error, retry_after, times, body)
        with self._lock:
            self._faults.setdefault(method, []).append(fault)

    def set_fault_rate(
        self,
        method: str,
        *,
        server_errors: float = 0.0,
        rate_limited: float = 0.0,
        retry_after: int = 1,
        applied_anyway: float = 0.5,
        seed: int | None = None,
    ) -> None:
        """Fail a share of the calls to ``method`` (``"*"``: any without its own) at random,
        as a flaky edge does: ``server_errors`` of them with 500, 502, 503 or 504 and
        ``rate_limited`` with 429 and ``Retry-After: retry_after``. After a 500 or a 504 Slack
        may have done the work: ``applied_anyway`` of those run the method (a message is
        posted) before answering the error. Both rates 0: no random failures.

        Queued ``fail_next`` failures come first. Injected answers are recorded with
        ``injected=True``.
        """
        with self._lock:
            if server_errors == 0 and rate_limited == 0:
                self._fault_rates.pop(method, None)
            else:
                self._fault_rates[method] = FaultRate(
                    server_errors, rate_limited, retry_after, applied_anyway, seed
                )

    def set_rate_limits(self, limits: RateLimits | None) -> None:
        """Enforce Slack's rate limits (429 + ``Retry-After`` beyond them); None: no limits.

        Off by default, so tests that post in bursts stay fast; see
        :mod:`devkit.emulator.ratelimit` for what the limits are.
        """
        self.rate_limiter = RateLimiter(limits) if limits is not None else None

    def pass_time(self, seconds: float) -> None:
        """Let the rate limits act as if `seconds` had passed (every budget refills), without
        waiting: a benchmark whose clock moves a minute at a time spends Slack's budget at the
        pace of that clock. Nothing else in the emulator moves."""
        if self.rate_limiter is not None:
            self.rate_limiter.pass_time(seconds)

    def rate_clock(self) -> float | None:
        """The rate limiter's clock now (see `Call.rate_at`), or None without limits."""
        return self.rate_limiter.now() if self.rate_limiter is not None else None

    def add_team_token(self, team_id: str, token: str) -> None:
        """Accept `token` as the bot token of another workspace `team_id` (an OAuth install):
        it sees this emulator's users and channels (mark that workspace's members with
        ``add_user(team_id=…)``), and its calls count against that workspace's own rate limits
        (`set_team_rate_limits`)."""
        with self._lock:
            self._team_tokens[token] = team_id

    def set_team_rate_limits(self, team_id: str, limits: RateLimits) -> None:
        """Limit workspace `team_id` (see `add_team_token`) differently from the others, e.g. a
        workspace Slack throttles harder. Needs `set_rate_limits` first."""
        if self.rate_limiter is None:
            raise RuntimeError("set_rate_limits first: per-workspace limits refine them")
        self.rate_limiter.set_team_limits(team_id, limits)

    def set_latency(self, method: str, seconds: float) -> None:
        """Delay answers to ``method`` (``"*"``: every method without its own setting)."""
        with self._lock:
            if seconds > 0:
                self._latency[method] = seconds
            else:
                self._latency.pop(method, None)

    # -- driver support -----------------------------------------------------------------

    def issue_trigger(
        self, user_id: str, *, view_id: str | None = None, issued_at: float | None = None
    ) -> str:
        """Mint a trigger_id as Slack does for an interaction (valid 3 s, usable once)."""
        with self._lock:
            when = self.clock() if issued_at is None else issued_at
            return self._ws.issue_trigger(user_id, view_id, when)

    def new_response_url(
        self,
        *,
        channel_id: str | None = None,
        user_id: str | None = None,
        message_ts: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url on the emulator; posts are applied to that channel/message.

        Like Slack's, it accepts five posts within 30 minutes (``self.clock``). With
        ``ephemeral`` (a click in an ephemeral message), ``replace_original`` replaces it.
        """
        with self._lock:
            target = self._ws.new_response_target(
                channel_id, user_id, message_ts, self.clock(), ephemeral
            )
        return f"{self.root_url}response/{target.id}"

    def apply_view_submission(self, user_id: str, view_id: str, body: Any) -> list[str]:
        """Apply the app's answer to a view_submission (close/update/push/clear/errors)."""
        with self._lock:
            return views.apply_submission_response(self._ws, user_id, view_id, body)

    def close_modal(self, user_id: str, view_id: str) -> bool:
        """The user closes a modal; returns whether the whole stack was cleared."""
        with self._lock:
            return views.close_view(self._ws, user_id, view_id)

    # -- internals ----------------------------------------------------------------------

    def _channel_id(self, channel: str) -> str:
        if channel[:1] in ("U", "W") and channel in self._ws.users:
            return self._ws.dm_channel_id(channel)
        found = self._ws.find_conversation(channel)
        return found.id if found else channel

    def _public_message(self, message: Message) -> dict[str, Any]:
        return {
            "channel": message.channel,
            "ts": message.ts,
            "text": message.text,
            "blocks": copy.deepcopy(message.blocks),
            "metadata": copy.deepcopy(message.metadata),
            "user": message.user,
            "thread_ts": message.thread_ts,
            "files": copy.deepcopy(message.files),
            "bot_id": message.bot_id,
        }

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def _pause(self, method: str) -> None:
        with self._lock:
            delay = self._latency.get(method, self._latency.get("*", 0.0))
        if delay:
            time.sleep(delay)

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for key in (method, "*"):
                queue = self._faults.get(key)
                if queue:
                    fault = queue[0]
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        queue.pop(0)
                    return fault
        return None

    def _draw_fault(self, method: str) -> tuple[Fault | None, bool]:
        with self._lock:
            rate = self._fault_rates.get(method) or self._fault_rates.get("*")
            return rate.draw() if rate is not None else (None, False)

    @staticmethod
    def _path_prefix(generation: int) -> str:
        """Where the URLs of a generation live: ``/`` at first, ``/reset-N/`` after a reset."""
        return f"/reset-{generation}" if generation else ""

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        """Entry point for every HTTP request (runs on a server thread)."""
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        content_type = handler.headers.get("Content-Type", "")
        with self._lock:
            generation = self._generation
            prefix = self._path_prefix(generation)
            current = parts.path.startswith(prefix + "/")
            if current:
                self._answering += 1
        if not current:
            result = (410, {"Content-Type": "text/plain"}, b"Gone: this emulator was reset")
        else:
            try:
                path = parts.path[len(prefix) :]
                result = self._route(handler, path, parts.query, content_type, raw)
            finally:
                with self._changed:
                    self._answering -= 1
                    self._changed.notify_all()
        status, headers, body = result
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _route(
        self,
        handler: BaseHTTPRequestHandler,
        path: str,
        query: str,
        content_type: str,
        raw: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer a request to this generation's URLs (`path` without the generation's prefix)."""
        url = self.root_url.rstrip("/") + path
        if path.startswith("/api/"):
            return self._web_api(
                path[len("/api/") :], query, handler.headers, content_type, raw, url
            )
        if path.startswith("/upload/") and handler.command == "POST":
            return self._upload(path[len("/upload/") :], content_type, raw, url)
        if path.startswith("/response/") and handler.command == "POST":
            return self._response_url(path[len("/response/") :], content_type, raw, url)
        if path.startswith(shared_files.DOWNLOAD_PATH) and handler.command == "GET":
            return self._download(path, handler.headers.get("Authorization"), url)
        return 404, {"Content-Type": "text/plain"}, b"Not Found"

    def _web_api(
        self, method: str, query: str, headers: Any, content_type: str, raw: bytes, url: str
    ) -> tuple[int, dict[str, str], bytes]:
        query_args = parse_form(query)
        body_args, is_json, parse_error = parse_body(content_type, raw)
        sent = {**query_args, **body_args}
        token = bearer_token(headers.get("Authorization")) or sent.get("token")
        sent.pop("token", None)
        self._pause(method)
        fault = self._take_fault(method)
        applied_anyway = False
        if fault is None:
            fault, applied_anyway = self._draw_fault(method)
        if fault is not None and not applied_anyway:
            status, out_headers, body, recorded = fault.render()
            self._record(Call(method, sent, recorded, time.monotonic(), status, True, url))
            return status, out_headers, body
        spec = self._methods.get(method)
        if spec is None:
            response: dict[str, Any] = {
                "ok": False,
                "error": "unknown_method",
                "req_method": method,
            }
        elif method in CLIENT_METHODS and parse_error is None:
            with self._lock:
                context = MethodContext(self._ws, self.clock, self.trigger_ttl, self.root_url)
                response = spec.handler(context, sent)
        elif not token:
            response = {"ok": False, "error": "not_authed"}
        elif token in self._revoked:
            response = {"ok": False, "error": "token_revoked"}
        elif token != (self.app_token if method in APP_TOKEN_METHODS else self.token) and not (
            token in self._team_tokens and method not in APP_TOKEN_METHODS
        ):
            known = token in (self.token, self.app_token)
            response = {"ok": False, "error": "not_allowed_token_type" if known else "invalid_auth"}
        elif parse_error:
            response = {"ok": False, "error": parse_error}
        elif (retry_after := self._over_limit(method, sent, token)) is not None:
            limited_at = self.rate_clock()
            self._record(
                Call(method, sent, RATELIMITED, time.monotonic(), 429, False, url, limited_at)
            )
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "Retry-After": str(retry_after),
            }
            return 429, headers, json.dumps(RATELIMITED).encode()
        else:
            # Form-only methods never see a JSON body's arguments in real Slack either.
            args = sent if (spec.accepts_json or not is_json) else dict(query_args)
            context = MethodContext(self._ws, self.clock, self.trigger_ttl, self.root_url)
            with self._lock:
                try:
                    response = spec.handler(context, args)
                except SlackError as error:
                    response = error.body()
        if fault is not None:  # done, yet answered with an error, as an edge timing out does
            status, out_headers, body, recorded = fault.render()
            recorded = {**recorded, "applied": response}
            self._record(Call(method, sent, recorded, time.monotonic(), status, True, url))
            return status, out_headers, body
        admitted_at = self.rate_clock()
        self._record(Call(method, sent, response, time.monotonic(), 200, False, url, admitted_at))
        body = json.dumps(response).encode()
        return 200, {"Content-Type": "application/json; charset=utf-8"}, body

    def _over_limit(self, method: str, args: dict[str, Any], token: str = "") -> int | None:
        """Retry-After seconds if the rate limiter refuses this call, else None."""
        limiter = self.rate_limiter
        if limiter is None:
            return None
        channel = args.get("channel") if method == "chat.postMessage" else None
        if isinstance(channel, str) and channel:
            with self._lock:
                channel = self._channel_id(channel)
        team = self._team_tokens.get(token, "")
        return limiter.admit(method, channel if isinstance(channel, str) else None, team)

    def _upload(
        self, file_id: str, content_type: str, raw: bytes, url: str
    ) -> tuple[int, dict[str, str], bytes]:
        content = multipart_file(content_type, raw) if "multipart/" in content_type else raw
        args = {"file_id": file_id, "bytes": len(content)}
        self._pause("file_upload")
        fault = self._take_fault("file_upload")
        if fault is not None:
            status, headers, out, recorded = fault.render()
            self._record(Call("file_upload", args, recorded, time.monotonic(), status, True, url))
            return status, headers, out
        with self._lock:
            upload = self._ws.files.get(file_id)
            if upload is None or upload.completed:
                status, text = 404, "file_not_found"
            else:
                upload.content = content
                status, text = 200, f"OK - {len(content)}"
        recorded = {"ok": True} if status == 200 else {"ok": False, "error": text}
        self._record(Call("file_upload", args, recorded, time.monotonic(), status, False, url))
        return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()

    def add_shared_file(self, user_id: str, filename: str, content: bytes) -> dict[str, Any]:
        """`user_id` picks a file in a modal's file_input: the file object the submission's
        state carries (its url_private is served here, to the bot token only)."""
        with self._lock:
            upload = shared_files.shared_file(self._ws, user_id, filename, content)
            return shared_files.file_object(self._ws, self.root_url, upload)

    def _download(
        self, path: str, authorization: str | None, url: str
    ) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            status, headers, body, recorded = shared_files.download(
                self._ws, path, authorization, self.token
            )
        self._record(
            Call(
                "file_download",
                recorded,
                {"ok": status == 200},
                time.monotonic(),
                status,
                False,
                url,
            )
        )
        return status, headers, body

    def _response_url(
        self, target_id: str, content_type: str, raw: bytes, url: str
    ) -> tuple[int, dict[str, str], bytes]:
        body: Any
        try:
            if "application/json" in content_type:
                body = json.loads(raw or b"null")
            else:
                form = parse_form(raw.decode("utf-8", "replace"))
                body = json.loads(form["payload"]) if "payload" in form else form
        except ValueError:
            body = None
        args = body if isinstance(body, dict) else {"raw": raw.decode("utf-8", "replace")}
        self._pause("response_url")
        fault = self._take_fault("response_url")
        if fault is not None:
            status, headers, out, recorded = fault.render()
            self._record(Call("response_url", args, recorded, time.monotonic(), status, True, url))
            return status, headers, out
        with self._lock:
            target = self._ws.response_targets.get(target_id)
            if target is None:
                status, text = 404, "no_service"
            elif self.clock() - target.issued_at > RESPONSE_URL_TTL:
                status, text = 404, "expired_url"
            elif target.uses >= RESPONSE_URL_MAX_USES:
                status, text = 404, "used_url"
            else:
                status, text = methods.post_to_response_url(self._ws, target, body)
                target.uses += status == 200  # rejected posts do not use the URL up
        recorded = {"ok": True} if status == 200 else {"ok": False, "error": text}
        self._record(Call("response_url", args, recorded, time.monotonic(), status, False, url))
        return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()

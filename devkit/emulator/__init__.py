"""A local Slack for tests and ``tandem demo``: nothing here talks to the real Slack.

* :class:`SlackEmulator` — the Web API (``WebClient(base_url=emulator.url)``) with workspace
  state, call recording, Block Kit validation and fault injection.
* :class:`SlackDriver` — sends signed slash commands, clicks, view submissions and events to
  a running Bolt app the way Slack's servers do.
* :class:`RateLimits` — Slack's per-method and per-channel limits, enforced on request
  (``SlackEmulator(rate_limits=RateLimits())``): 429 with ``Retry-After`` beyond them.

Typical use::

    with SlackEmulator() as slack:
        slack.add_user("U1", "ada", tz="Europe/London")
        app = App(signing_secret=SECRET, client=WebClient(token=slack.token, base_url=slack.url),
                  token_verification_enabled=False)
        register_listeners(app)
        server = BackgroundServer(SlackRequestHandler(app)).start()  # from bot.web
        driver = SlackDriver(server.url, SECRET, slack)
        driver.command("U1", "help")
        slack.wait_for("chat.postMessage")
        server.stop()
"""

from bot.core.limits import validate_message_blocks, validate_view
from devkit.emulator.driver import Response, SlackDriver
from devkit.emulator.payloads import InteractionError
from devkit.emulator.ratelimit import Budget, RateLimits
from devkit.emulator.server import Call, SlackEmulator
from devkit.emulator.socket_driver import SocketModeDriver
from devkit.emulator.workspace import UploadedFile

__all__ = [
    "Budget",
    "Call",
    "InteractionError",
    "RateLimits",
    "Response",
    "SlackDriver",
    "SlackEmulator",
    "SocketModeDriver",
    "UploadedFile",
    "validate_message_blocks",
    "validate_view",
]

"""manifest.yml declares exactly what the code listens to and the scopes it uses."""

from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.app import BOT_SCOPES
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import Tandem
from handlers import register_listeners
from storage.db import create_db_engine

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


class RecordingApp:
    """Stands in for Bolt's App to record what our handlers register (and nothing else)."""

    def __init__(self) -> None:
        self.commands: set[str] = set()
        self.events: set[str] = set()
        self.shortcuts: set[str] = set()

    def command(self, name: str):  # type: ignore[no-untyped-def]
        self.commands.add(name)
        return lambda func: func

    def event(self, name: str):  # type: ignore[no-untyped-def]
        self.events.add(name if isinstance(name, str) else name["type"])
        return lambda func: func

    def shortcut(self, callback_id: str):  # type: ignore[no-untyped-def]
        self.shortcuts.add(callback_id)
        return lambda func: func

    def __getattr__(self, _name: str):  # action, view, options, middleware ...
        return lambda *args, **kwargs: lambda func: func


def recorded() -> RecordingApp:
    """What the handlers register on a Bolt app."""
    settings = Settings(slack_bot_token="xoxb-x", slack_signing_secret="s")
    ctx = Tandem(
        settings=settings,
        engine=create_db_engine("sqlite://"),
        clock=FrozenClock(datetime(2026, 1, 1, tzinfo=UTC)),
    )
    app = RecordingApp()
    register_listeners(app, ctx)  # type: ignore[arg-type]
    return app


def registered_listeners() -> tuple[set[str], set[str]]:
    """(commands, events) the handlers register on a Bolt app."""
    app = recorded()
    return app.commands, app.events


def test_manifest_matches_the_listeners() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    declared_commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    # message.im is Slack's name for the "message" events of DMs (the listener checks the kind).
    declared_events = {
        e.split(".")[0] for e in manifest["settings"]["event_subscriptions"]["bot_events"]
    }
    commands, events = registered_listeners()
    assert commands == declared_commands
    assert events == declared_events


def test_manifest_declares_exactly_the_shortcuts_listened_to() -> None:
    shortcuts = yaml.safe_load(MANIFEST.read_text())["features"]["shortcuts"]
    assert {s["callback_id"] for s in shortcuts} == recorded().shortcuts
    kinds = {s["name"]: s["type"] for s in shortcuts}
    assert kinds == {
        "Share with my mentoring partner": "message",
        "Log a mentoring meeting": "global",
    }
    assert all(s["description"] for s in shortcuts)


def test_manifest_asks_for_exactly_the_scopes_the_app_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)


def test_manifest_enables_what_tandem_needs() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    command = manifest["features"]["slash_commands"][0]
    assert command["description"] and command["usage_hint"]
    assert command["should_escape"] is True  # mentions arrive as <@U123|name>

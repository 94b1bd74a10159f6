"""Multi-workspace installs: Bolt's OAuth flow with installations stored in our database."""

import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.app import BOT_SCOPES, build_app, build_tandem
from bot.web import BackgroundServer, TandemWSGI
from devkit.emulator import SlackEmulator
from tests.meetings.helpers import weekly_pair
from tests.support.harness import BOT_TOKEN, MENTOR, Harness, running_tandem, settings_for_test

OAUTH = {
    "slack_bot_token": None,
    "slack_client_id": "111.222",
    "slack_client_secret": "oauth-secret",
}


@pytest.fixture
def oauth_app(database_url: str, emulator: SlackEmulator) -> Iterator[tuple]:
    settings = settings_for_test(
        database_url,
        emulator,
        **OAUTH,
    )
    ctx = build_tandem(settings, migrate=False)
    app = build_app(ctx)
    server = BackgroundServer(TandemWSGI(app, ctx)).start()
    yield ctx, app, server.url.rsplit("/slack/events", 1)[0]
    server.stop()
    ctx.engine.dispose()


def test_install_page_asks_for_tandems_scopes(oauth_app: tuple) -> None:
    _, _, base = oauth_app
    with urllib.request.urlopen(f"{base}/slack/install", timeout=5) as response:
        page = response.read().decode()
    assert response.status == 200
    assert "client_id=111.222" in page
    for scope in BOT_SCOPES:
        assert scope.replace(":", "%3A") in page or scope in page


def test_each_workspace_gets_its_own_token(oauth_app: tuple) -> None:
    ctx, app, _ = oauth_app
    for team, token in (("T0AAA", "xoxb-aaa"), ("T0BBB", "xoxb-bbb")):
        app.installation_store.save(
            Installation(
                app_id="A1",
                team_id=team,
                user_id="U1",
                bot_token=token,
                bot_id="B1",
                bot_user_id="UBOT",
                bot_scopes=list(BOT_SCOPES),
            )
        )
    # The scheduler (tandem run-due) has no app and no request, only the settings.
    scheduler_ctx = build_tandem(ctx.settings, migrate=False)
    assert scheduler_ctx.token("T0AAA") == "xoxb-aaa"
    assert scheduler_ctx.token("T0BBB") == "xoxb-bbb"
    assert scheduler_ctx.token("T0NONE") is None
    scheduler_ctx.engine.dispose()


@pytest.fixture
def installed(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem under OAuth, installed in the emulator's workspace with the emulator's token."""
    for harness in running_tandem(database_url, emulator, **OAUTH):
        store = SQLAlchemyInstallationStore(client_id="111.222", engine=harness.ctx.engine)
        store.save(
            Installation(
                app_id=emulator.app_id,
                team_id=emulator.team_id,
                user_id=MENTOR,
                bot_token=BOT_TOKEN,
                bot_id="B1",
                bot_user_id="UBOT",
                bot_scopes=list(BOT_SCOPES),
            )
        )
        yield harness


def test_meeting_commands_open_their_modals_under_oauth(installed: Harness) -> None:
    # The workspace's token is read from the installation store: on SQLite, never while a
    # transaction of the command holds the write lock (it used to wait out the busy timeout).
    weekly_pair(installed)
    for command in ("log", "reschedule"):
        opened = len(installed.emulator.calls("views.open"))
        response = installed.slack.command(MENTOR, command)
        assert response.ok and not (response.json or {}).get("text"), response.body
        installed.emulator.wait_for("views.open", count=opened + 1)

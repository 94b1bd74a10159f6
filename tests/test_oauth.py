"""Multi-workspace installs: Bolt's OAuth flow with installations stored in our database."""

import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.app import BOT_SCOPES, build_app, build_tandem
from bot.web import BackgroundServer, TandemWSGI
from devkit.emulator import SlackEmulator
from tests.support.harness import settings_for_test


@pytest.fixture
def oauth_app(database_url: str, emulator: SlackEmulator) -> Iterator[tuple]:
    settings = settings_for_test(
        database_url,
        emulator,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="oauth-secret",
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

"""Multi-workspace installs: Bolt's OAuth flow with installations stored in our database."""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import text

from bot.app import BOT_SCOPES, build_app, build_tandem
from bot.web import BackgroundServer, TandemWSGI
from devkit.emulator import SlackEmulator
from handlers.commands.tandem import SORRY
from tests.meetings.helpers import weekly_pair
from tests.reliability.world import settle
from tests.support.harness import (
    ADMIN,
    BOT_TOKEN,
    MENTOR,
    Harness,
    running_tandem,
    settings_for_test,
)
from tests.support.listeners import registered_subcommands

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


def install(harness: Harness, team_id: str, token: str) -> None:
    """Store an OAuth installation of the app in `team_id` with bot token `token`."""
    store = SQLAlchemyInstallationStore(
        client_id=str(OAUTH["slack_client_id"]), engine=harness.ctx.engine
    )
    store.save(
        Installation(
            app_id=harness.emulator.app_id,
            team_id=team_id,
            user_id=MENTOR,
            bot_token=token,
            bot_id="B1",
            bot_user_id="UBOT",
            bot_scopes=list(BOT_SCOPES),
        )
    )


@pytest.fixture
def installed(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem under OAuth, installed in the emulator's workspace with the emulator's token."""
    for harness in running_tandem(database_url, emulator, **OAUTH):
        install(harness, emulator.team_id, BOT_TOKEN)
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


def test_slack_is_asked_about_a_token_once_not_before_every_request(
    installed: Harness,
) -> None:
    asked = len(installed.emulator.calls("auth.test"))
    for _ in range(5):
        assert installed.slack.command(MENTOR, "help").ok
    assert len(installed.emulator.calls("auth.test")) <= asked + 1
    # Uninstalled: the installation is gone, and the next request is told so, cache or not.
    installed.slack.event({"type": "app_uninstalled"})
    settle(installed)
    assert installed.slack.command(MENTOR, "help").ok
    said = installed.emulator.wait_for("response_url")[-1].args
    assert "isn't installed in this workspace" in json.dumps(said), said


def _get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], str]:
    """GET `url` as a browser would (with `cookie`), without following redirects."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _start_install(base: str) -> str:
    """Open the install page; the state cookie it sets (its value is the state)."""
    status, headers, _ = _get(f"{base}/slack/install")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    assert cookie.startswith("slack-app-oauth-state=")
    return cookie


def _callback(base: str, code: str | None, state: str | None, cookie: str | None) -> int:
    query = urllib.parse.urlencode(
        {k: v for k, v in (("code", code), ("state", state)) if v is not None}
    )
    return _get(f"{base}/slack/oauth_redirect?{query}", cookie)[0]


def _state(cookie: str) -> str:
    return cookie.split("=", 1)[1]


def test_the_oauth_callback_installs_only_with_a_fresh_state_of_this_browser_and_code(
    oauth_app: tuple, emulator: SlackEmulator
) -> None:
    ctx, app, base = oauth_app
    installed = app.installation_store

    def refused(team: str, status: int) -> bool:
        return status >= 400 and installed.find_bot(enterprise_id=None, team_id=team) is None

    # Missing state, a forged one (with its own cookie), and another browser's cookie.
    mine, theirs = _start_install(base), _start_install(base)
    code = emulator.oauth_code("T0MISSING", "xoxb-missing")
    assert refused("T0MISSING", _callback(base, code, None, mine))
    code = emulator.oauth_code("T0FORGED", "xoxb-forged")
    forged = "slack-app-oauth-state=forged-state"
    assert refused("T0FORGED", _callback(base, code, "forged-state", forged))
    code = emulator.oauth_code("T0OTHERCOOKIE", "xoxb-other-cookie")
    assert refused("T0OTHERCOOKIE", _callback(base, code, _state(mine), theirs))

    # The real thing installs; replaying it, or reusing its code with a fresh state, does not.
    code = emulator.oauth_code("T0REAL", "xoxb-real")
    assert _callback(base, code, _state(mine), mine) == 200
    assert installed.find_bot(enterprise_id=None, team_id="T0REAL").bot_token == "xoxb-real"
    later = emulator.oauth_code("T0REPLAY", "xoxb-replay")
    assert refused("T0REPLAY", _callback(base, later, _state(mine), mine))  # state spent
    fresh = _start_install(base)
    assert _callback(base, code, _state(fresh), fresh) >= 400  # the code is spent
    assert installed.find_bot(enterprise_id=None, team_id="T0REAL").bot_token == "xoxb-real"

    # A state older than its ten minutes.
    old = _start_install(base)
    with ctx.engine.begin() as connection:
        connection.execute(
            text("UPDATE slack_oauth_states SET expire_at = :past WHERE state = :state"),
            {"past": datetime(2020, 1, 1), "state": _state(old)},
        )
    code = emulator.oauth_code("T0EXPIRED", "xoxb-expired")
    assert refused("T0EXPIRED", _callback(base, code, _state(old), old))
    with ctx.session() as session:  # nothing of the refused installs became a workspace
        teams = set(session.execute(text("SELECT team_id FROM workspace")).scalars())
    assert teams <= {"T0REAL"}, teams


def test_every_subcommand_answers_under_oauth(
    installed: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # Every subcommand once, by a member of a pair (and `admin` by the admin), with the token
    # read from the installation store: none waits on SQLite's write lock or fails.
    caplog.set_level(logging.WARNING)
    weekly_pair(installed)
    runs = [(MENTOR, sub) for sub in registered_subcommands()] + [(ADMIN, "admin")]
    for user, sub in runs:
        response = installed.slack.command(user, sub)
        assert response.ok and response.elapsed < 3, (sub, response.status, response.elapsed)
        assert SORRY not in response.body, sub
    settle(installed)
    said = json.dumps([call.args for call in installed.emulator.calls("response_url")])
    assert SORRY not in said
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "database is locked" not in caplog.text

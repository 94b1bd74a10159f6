"""Enterprise Grid under OAuth, over signed HTTP (issue 20 §4).

A workspace of a Grid organisation installs Tandem like any other workspace: its install names
the organisation too, and the scheduler must still find its token. An organisation-wide install
names no workspace, so no programme could belong to it: the OAuth callback refuses it with a
page saying what to do, stores nothing, and the organisation's requests (some with no team at
all) meet a "not installed here" answer: no traceback, nothing stored, nothing of another
workspace touched."""

import json
import logging
import urllib.parse
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from devkit.emulator import SlackDriver, SlackEmulator
from tests.support.harness import (
    ADMIN,
    BOT_TOKEN,
    MENTOR,
    SIGNING_SECRET,
    TEAM_ID,
    Harness,
    running_tandem,
)
from tests.test_metrics import scrape, total
from tests.test_oauth import OAUTH, _get, _start_install, _state, install

ORG, GRID_TEAM = "E0GRID001", "T0GRIDWS1"
GRID_ADMIN, GRID_MEMBER = "UGADMIN01", "UGMEMBER1"
OTHER_ORG, ORG_TEAM = "E0ORGWIDE", "T0INORG01"


@pytest.fixture
def tandem_oauth(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem under OAuth, installed (as a plain workspace) in the emulator's workspace."""
    emulator.add_user(GRID_ADMIN, "greta", is_admin=True, team_id=GRID_TEAM)
    emulator.add_user(GRID_MEMBER, "gus", team_id=GRID_TEAM)
    for harness in running_tandem(database_url, emulator, **OAUTH):
        install(harness, TEAM_ID, BOT_TOKEN)
        yield harness


def callback(harness: Harness, code: str) -> tuple[int, str]:
    base = harness.app_url.removesuffix("/slack/events")
    cookie = _start_install(base)
    query = urllib.parse.urlencode({"code": code, "state": _state(cookie)})
    status, _, page = _get(f"{base}/slack/oauth_redirect?{query}", cookie)
    return status, page


def grid_command(driver: SlackDriver, user: str, team: str, org: str, org_wide: bool, words: str):
    """`/tandem words` as Slack sends it from a workspace of Grid organisation `org`."""
    emulator = driver.emulator
    channel = emulator.dm_channel(user)
    fields = {
        "token": driver.verification_token,
        "team_id": team,
        "team_domain": "grid",
        "enterprise_id": org,
        "enterprise_name": org,
        "channel_id": channel,
        "user_id": user,
        "user_name": user,
        "command": "/tandem",
        "text": words,
        "api_app_id": emulator.app_id,
        "is_enterprise_install": "true" if org_wide else "false",
        "response_url": emulator.new_response_url(channel_id=channel, user_id=user),
        "trigger_id": emulator.issue_trigger(user),
    }
    return driver.post(urlencode(fields))


def org_level_event(driver: SlackDriver, org: str, user: str):
    """An event of an organisation-wide install that names no workspace (team_id None)."""
    envelope = {
        "token": driver.verification_token,
        "enterprise_id": org,
        "context_team_id": None,
        "context_enterprise_id": org,
        "api_app_id": driver.emulator.app_id,
        "event": {"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1.1"},
        "type": "event_callback",
        "event_id": "Ev0GRID0001",
        "event_time": 1,
        "authorizations": [
            {"enterprise_id": org, "team_id": None, "user_id": "UBOT", "is_bot": True}
            | {"is_enterprise_install": True}
        ],
        "is_ext_shared_channel": False,
    }
    return driver.post(json.dumps(envelope), content_type="application/json")


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors of Tandem's own (Bolt logs each request of a workspace it has no install for)."""
    return [
        r.getMessage() for r in caplog.records if r.exc_info or not r.name.startswith("slack_bolt")
    ]


def counts(harness: Harness) -> dict[str, int]:
    """Rows Tandem keeps per workspace, and the installs stored."""
    with harness.ctx.session() as session:
        return {
            table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("workspace", "person", "pair", "outbox", "slack_bots")
        }


def test_an_organisation_wide_install_is_refused_and_its_requests_change_nothing(
    tandem_oauth: Harness, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    before = counts(tandem_oauth)
    status, page = callback(
        tandem_oauth, emulator.oauth_code(ORG_TEAM, "xoxb-org", OTHER_ORG, True)
    )
    assert status == 400 and "install it in each workspace" in page, page
    assert counts(tandem_oauth) == before

    driver = SlackDriver(tandem_oauth.app_url, SIGNING_SECRET, emulator, team_id=ORG_TEAM)
    answer = grid_command(driver, GRID_ADMIN, ORG_TEAM, OTHER_ORG, True, f"pair <@{MENTOR}> x")
    assert answer.status == 200
    said = emulator.wait_for("response_url")[0].args
    assert "isn't installed in this workspace" in json.dumps(said), said
    assert org_level_event(driver, OTHER_ORG, GRID_ADMIN).status == 200
    # A command claiming the org-wide install from inside the installed workspace's team.
    crafted = grid_command(driver, ADMIN, TEAM_ID, OTHER_ORG, True, "admin")
    assert crafted.status == 200
    emulator.wait_for("response_url", count=2)
    tandem_oauth.run_due()
    assert counts(tandem_oauth) == before
    assert emulator.calls("views.publish") == [] and emulator.calls("views.open") == []
    said = json.dumps([call.args for call in emulator.calls("response_url")])
    assert said.count("isn't installed in this workspace") == 2 and "programme" not in said
    assert tracebacks(caplog) == []


def test_a_workspace_of_a_grid_organisation_works_like_any_other(
    tandem_oauth: Harness, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    status, _ = callback(tandem_oauth, emulator.oauth_code(GRID_TEAM, "xoxb-grid-ws", ORG))
    assert status == 200
    driver = SlackDriver(tandem_oauth.app_url, SIGNING_SECRET, emulator, team_id=GRID_TEAM)
    answer = grid_command(
        driver, GRID_ADMIN, GRID_TEAM, ORG, False, f"pair <@{GRID_ADMIN}> <@{GRID_MEMBER}>"
    )
    assert answer.status == 200 and "install" not in answer.body.lower(), answer.body
    tandem_oauth.run_due()  # the scheduler knows no organisation, only the workspace
    with tandem_oauth.ctx.session() as session:
        stored = session.execute(text("SELECT team_id, status FROM outbox")).all()
    assert stored and all(row == (GRID_TEAM, "sent") for row in stored), stored
    _, samples = scrape(tandem_oauth)
    ok = {"team": GRID_TEAM, "method": "chat.postMessage", "status": "ok"}
    assert total(samples, "tandem_slack_answers_total", **ok) == len(stored)
    assert [r.getMessage() for r in caplog.records] == []

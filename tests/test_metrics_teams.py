"""Every Slack answer counted in `/metrics` names the workspace it was for (issue 20 §1, §3).

Under OAuth Bolt builds one client before any workspace is known and copies it into each
request; its calls (and the OAuth code exchange) used to be counted under `team=""`, so an
operator could not tell which workspace Slack was refusing."""

import urllib.parse
from collections.abc import Iterator

import pytest
from prometheus_client.samples import Sample

from devkit.emulator import SlackDriver, SlackEmulator
from tests.support.harness import (
    ADMIN,
    BOT_TOKEN,
    MENTEE,
    MENTOR,
    SIGNING_SECRET,
    TEAM_ID,
    Harness,
    running_tandem,
)
from tests.test_metrics import scrape
from tests.test_oauth import OAUTH, _get, _start_install, _state, install

B, B_TOKEN = "T0BMETRICS", "xoxb-metrics-b"
B_ADMIN, B_MEMBER = "UBMADMIN1", "UBMMEMBER"
NEW_TEAM = "T0NEWINSTALL"


@pytest.fixture
def two(database_url: str, emulator: SlackEmulator) -> Iterator[tuple[Harness, SlackDriver]]:
    """Tandem under OAuth, installed in the emulator's workspace and in B (its own token)."""
    emulator.add_team_token(B, B_TOKEN)
    emulator.add_user(B_ADMIN, "bea", is_admin=True, team_id=B)
    emulator.add_user(B_MEMBER, "bo", team_id=B)
    for a in running_tandem(database_url, emulator, **OAUTH):
        install(a, TEAM_ID, BOT_TOKEN)
        install(a, B, B_TOKEN)
        yield a, SlackDriver(a.app_url, SIGNING_SECRET, emulator, team_id=B)


def answers(samples: list[Sample]) -> list[Sample]:
    return [s for s in samples if s.name == "tandem_slack_answers_total"]


def test_slack_answers_are_counted_under_the_workspace_they_were_for(
    two: tuple[Harness, SlackDriver], emulator: SlackEmulator
) -> None:
    a, b = two
    # Real traffic in both workspaces: commands looking people up, Homes published by Bolt's
    # per-request client, a modal opened, a proposal delivered by the sender.
    for driver, admin, mentor, mentee in (
        (a.slack, ADMIN, MENTOR, MENTEE),
        (b, B_ADMIN, B_ADMIN, B_MEMBER),
    ):
        assert driver.open_home(mentee).status == 200
        assert driver.command(mentor, "preferences").status == 200
        assert driver.command(admin, f"pair <@{mentor}> <@{mentee}>").status == 200
    a.run_due()
    # A new workspace installs through the OAuth callback: Bolt's own client exchanges the code.
    base = a.app_url.removesuffix("/slack/events")
    cookie = _start_install(base)
    code = emulator.oauth_code(NEW_TEAM, "xoxb-new-install")
    query = urllib.parse.urlencode({"code": code, "state": _state(cookie)})
    assert _get(f"{base}/slack/oauth_redirect?{query}", cookie)[0] == 200
    emulator.wait_for("views.publish", count=2)

    counted = answers(scrape(a)[1])
    by_team = {s.labels["team"] for s in counted if s.value}
    unlabelled = [(s.labels, s.value) for s in counted if not s.labels.get("team")]
    assert unlabelled == []
    assert {TEAM_ID, B, NEW_TEAM} <= by_team, by_team
    methods = {(s.labels["team"], s.labels["method"]) for s in counted if s.value}
    for team in (TEAM_ID, B):  # Bolt's per-request client and the sender, for each
        assert (team, "views.publish") in methods and (team, "chat.postMessage") in methods
    assert (NEW_TEAM, "oauth.v2.access") in methods, methods

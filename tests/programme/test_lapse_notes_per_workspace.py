"""Lapse notes under OAuth, two workspaces installed: each workspace's programme admins hear
about their own pairs that went quiet, and never about the other workspace's."""

import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlmodel import select

from bot.app import BOT_SCOPES, build_app
from bot.core.people import ensure_workspace
from devkit.emulator import SlackEmulator
from storage.models import MeetingSeries, OutboxMessage, Pair, PairStatus, Person
from tests.support.harness import ADMIN, BOT_TOKEN, START, TEAM_ID, Harness, running_tandem

SECOND = "T0SECOND"
WEEKLY = "FREQ=WEEKLY;BYDAY=MO"
# (team, mentor, mentee, the admin named in settings or a Slack admin of that workspace)
CAST = {
    TEAM_ID: ("UAMENTOR1", "alba", "UAMENTEE1", "bruno", "UAADMIN01"),
    SECOND: ("UBMENTOR1", "carla", "UBMENTEE1", "dario", "UBADMIN01"),
}


@pytest.fixture
def oauth(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem under OAuth with two workspaces installed (the emulator answers both)."""
    running = running_tandem(
        database_url,
        emulator,
        live_delivery=False,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="oauth-secret",
    )
    harness = next(running)
    app = build_app(harness.ctx)
    for team in CAST:
        app.installation_store.save(
            Installation(
                app_id="ATANDEM",
                team_id=team,
                user_id=CAST[team][0],
                bot_token=BOT_TOKEN,
                bot_id="BTANDEM",
                bot_user_id="UTANDEMBOT",
                bot_scopes=list(BOT_SCOPES),
            )
        )
    yield harness
    running.close()


def quiet_pair(harness: Harness, team: str) -> int:
    """An active weekly pair with no meeting logged for five weeks."""
    mentor_id, mentor, mentee_id, mentee, admin = CAST[team]
    for user_id, name in ((mentor_id, mentor), (mentee_id, mentee), (admin, f"admin-{team}")):
        harness.emulator.add_user(user_id, name, tz="Europe/London")
    since = START - timedelta(weeks=5)
    with harness.session() as session:
        workspace = ensure_workspace(session, team)
        people = []
        for user_id, name in ((mentor_id, mentor), (mentee_id, mentee)):
            person = Person(team_id=team, user_id=user_id, display_name=name, real_name=name)
            session.add(person)
            people.append(person)
        if team == TEAM_ID:  # named in this workspace's settings
            workspace.programme_admins = [admin]
            session.add(workspace)
        else:  # one of Slack's admins of that workspace
            session.add(Person(team_id=team, user_id=admin, is_workspace_admin=True))
        session.flush()
        pair = Pair(
            team_id=team,
            mentor_id=people[0].id,
            mentee_id=people[1].id,
            proposed_by_id=people[0].id,
            status=PairStatus.ACTIVE,
            mentor_accepted_at=since,
            mentee_accepted_at=since,
            activated_at=since,
            created_at=since,
        )
        session.add(pair)
        session.flush()
        session.add(
            MeetingSeries(
                team_id=team,
                pair_id=pair.id,
                uid=f"series-{team}@tandem",
                rrule=WEEKLY,
                local_start="2026-01-26T10:00:00",
                timezone="Europe/London",
                lapse_since=since,
                next_lapse_at=since + timedelta(weeks=2),
            )
        )
        return pair.id


def posted_to(emulator: SlackEmulator, user_id: str) -> str:
    return "\n".join(
        str(call.args.get("text")) + json.dumps(call.args.get("blocks"), default=str)
        for call in emulator.calls("chat.postMessage")
        if call.args.get("channel") == user_id and call.response.get("ok")
    )


def test_each_workspace_s_admins_get_their_own_pairs_lapse_notes(
    oauth: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    for team in CAST:
        quiet_pair(oauth, team)
    report = oauth.run_due(START)
    assert report.delivery.failed == 0
    # The tick reads each workspace's token while its own transaction writes: on SQLite too,
    # every due work succeeds (it once waited out both lock timeouts and failed).
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    with oauth.session() as session:
        notes = session.exec(
            select(OutboxMessage.team_id, OutboxMessage.channel).where(
                OutboxMessage.kind == "meeting.lapse_admin"
            )
        ).all()
    assert sorted(notes) == sorted((team, cast[4]) for team, cast in CAST.items())
    for team, (_, mentor, _, mentee, admin) in CAST.items():
        other = CAST[SECOND if team == TEAM_ID else TEAM_ID]
        told = posted_to(oauth.emulator, admin)
        assert mentor in told and mentee in told, (team, told)
        assert other[1] not in told and other[3] not in told
    # TANDEM_ADMINS is one list for every install: under OAuth it is told only where Tandem
    # has met that person, and here each workspace has admins of its own.
    assert posted_to(oauth.emulator, ADMIN) == ""
    # A second tick tells nobody twice.
    oauth.run_due(START + timedelta(hours=1))
    with oauth.session() as session:
        again = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "meeting.lapse_admin")
        ).all()
    assert len(again) == 2

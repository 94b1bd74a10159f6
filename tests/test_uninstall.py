"""An uninstalled workspace gets nothing more: Slack's app_uninstalled / tokens_revoked (signed
events) end its waiting messages as expired, producers queue nothing for it and the sender never
posts there; installing again brings it back."""

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from slack_sdk.oauth.installation_store import Installation
from sqlmodel import select

from bot.app import BOT_SCOPES, build_app, build_tandem
from bot.core.installation import revoked_bot_tokens
from bot.delivery.sender import deliver_due
from devkit.emulator import SlackEmulator
from storage.models import OutboxMessage, OutboxStatus, Workspace
from tests.delivery.helpers import queue, row
from tests.support.factories import create_active_pair
from tests.support.harness import (
    BOT_TOKEN,
    MENTEE,
    MENTOR,
    SIGNING_SECRET,
    TEAM_ID,
    Harness,
    settings_for_test,
)
from tests.support.processes import (
    clean_environment,
    env_from_example,
    free_port,
    tandem_process,
    wait_healthy,
)


def eventually(check: Callable[[], bool], timeout: float = 10) -> None:
    """Events are acknowledged first and handled after: wait for `check` to hold."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the event was not handled in time"
        time.sleep(0.02)


def uninstalled(tandem: Harness) -> bool:
    return workspace(tandem).uninstalled_at is not None


def posts(emulator: SlackEmulator) -> int:
    return len(emulator.calls("chat.postMessage"))


def workspace(tandem: Harness) -> Workspace:
    with tandem.session() as session:
        found = session.get(Workspace, TEAM_ID)
        assert found is not None
        return found


def test_uninstall_ends_waiting_messages_and_nothing_more_is_sent(tandem: Harness) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    now = tandem.clock.now()
    queue(tandem.ctx, "later", MENTEE, now + timedelta(hours=3), recipient_user_id=MENTEE)
    queue(tandem.ctx, "now", MENTOR, now, recipient_user_id=MENTOR)
    before = posts(tandem.emulator)

    response = tandem.slack.event({"type": "app_uninstalled"})
    assert response.status == 200
    eventually(lambda: uninstalled(tandem))

    for key in ("later", "now"):
        ended = row(tandem.ctx, key)
        assert (ended.status, ended.last_error) == (OutboxStatus.EXPIRED, "app uninstalled")
    assert workspace(tandem).uninstalled_at is not None
    with tandem.session() as session:
        rows_before = len(session.exec(select(OutboxMessage)).all())

    # Weeks pass: the pair's meetings, reminders and prompts all fall due, and none is queued.
    for days in (1, 7, 30):
        report = tandem.run_due(now + timedelta(days=days))
        assert report.delivery.sent == 0 and not report.failed_producers
    with tandem.session() as session:
        assert len(session.exec(select(OutboxMessage)).all()) == rows_before
    assert posts(tandem.emulator) == before


def test_the_sender_never_posts_for_an_uninstalled_workspace(tandem: Harness) -> None:
    """Even a row that reached the outbox without the producers' check (a race with the
    uninstall, an older replica) ends expired instead of being posted."""
    tandem.stop_delivery()
    tandem.slack.event({"type": "app_uninstalled"})
    eventually(lambda: uninstalled(tandem))
    now = tandem.clock.now()
    with tandem.session() as session:
        session.add(
            OutboxMessage(
                team_id=TEAM_ID,
                key="raced",
                kind="test",
                channel=MENTEE,
                recipient_user_id=MENTEE,
                text="raced the uninstall",
                deliver_after=now,
                created_at=now,
            )
        )
    before = posts(tandem.emulator)
    report = deliver_due(tandem.ctx, now)
    assert report.sent == 0 and report.expired == 1
    assert row(tandem.ctx, "raced").last_error == "app uninstalled"
    assert posts(tandem.emulator) == before


def test_revoking_the_bot_token_stops_the_workspace(tandem: Harness) -> None:
    tandem.slack.event({"type": "tokens_revoked", "tokens": {"bot": ["UTANDEMBOT"]}})
    eventually(lambda: uninstalled(tandem))
    assert workspace(tandem).uninstalled_reason == "bot token revoked"


def test_only_a_revoked_bot_token_counts() -> None:
    # Tandem acts only as its bot: people revoking their own (user) tokens change nothing.
    assert not revoked_bot_tokens({"tokens": {"oauth": [MENTEE], "bot": []}})
    assert not revoked_bot_tokens({"tokens": {"oauth": [MENTEE]}})
    assert revoked_bot_tokens({"tokens": {"bot": ["UTANDEMBOT"]}})


def test_an_oauth_reinstall_brings_the_workspace_back(
    database_url: str, emulator: SlackEmulator, tandem: Harness
) -> None:
    tandem.slack.event({"type": "app_uninstalled"})
    eventually(lambda: uninstalled(tandem))
    settings = settings_for_test(
        database_url,
        emulator,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="oauth-secret",
    )
    ctx = build_tandem(settings, migrate=False)
    app = build_app(ctx)
    # What Bolt's OAuth flow does when the workspace installs the app again.
    app.installation_store.save(
        Installation(
            app_id="ATANDEM",
            team_id=TEAM_ID,
            user_id=MENTOR,
            bot_token="xoxb-new-token",
            bot_id="BTANDEM",
            bot_user_id="UTANDEMBOT",
            bot_scopes=list(BOT_SCOPES),
        )
    )
    ctx.engine.dispose()
    assert workspace(tandem).uninstalled_at is None
    queue(tandem.ctx, "welcome back", MENTEE, tandem.clock.now())
    assert row(tandem.ctx, "welcome back").status == OutboxStatus.PENDING


def test_restarting_with_a_working_token_brings_the_workspace_back(
    tmp_path: Path, emulator: SlackEmulator
) -> None:
    """One workspace: reinstalling gives a new bot token; `tandem serve` with it checks it
    (auth.test answers for the team) and resumes the workspace."""
    database = f"sqlite:///{tmp_path}/tandem.db"
    ctx = build_tandem(settings_for_test(database, emulator), migrate=True)
    with ctx.session() as session:
        session.add(Workspace(team_id=TEAM_ID, uninstalled_at=ctx.clock.now()))
    env_from_example(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.url,
        },
    )
    port = free_port()
    with tandem_process(["serve"], tmp_path, clean_environment(PORT=str(port))) as process:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
    with ctx.session() as session:
        assert session.get(Workspace, TEAM_ID).uninstalled_at is None  # type: ignore[union-attr]
    ctx.engine.dispose()

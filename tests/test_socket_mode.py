"""Socket Mode, the manifest's default: `tandem serve` as a subprocess, configured the way a
newcomer would (.env.example with the bot token, the app token and the emulator's URL, no
signing secret), connected to the emulator's WebSocket endpoint."""

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.emulator import SlackEmulator, SocketModeDriver
from tests.support.harness import ADMIN, BOT_TOKEN, CELEBRATIONS_CHANNEL, MENTEE
from tests.support.processes import (
    clean_environment,
    env_from_example,
    free_port,
    get_json,
    tandem_process,
    wait_healthy,
)


def socket_mode_env(tmp_path: Path, emulator: SlackEmulator) -> dict[str, str]:
    """A .env from .env.example in Socket Mode's shape; the environment to run tandem with."""
    env_from_example(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": emulator.app_token,
            "SLACK_API_URL": emulator.url,
        },
    )
    return clean_environment(TANDEM_ADMINS=ADMIN)


@pytest.fixture
def socket_tandem(tmp_path: Path, emulator: SlackEmulator) -> Iterator[SocketModeDriver]:
    port = free_port()
    env = {**socket_mode_env(tmp_path, emulator), "PORT": str(port)}
    with tandem_process(["serve"], tmp_path, env) as process:
        # /healthz is served on PORT in Socket Mode too, and healthy once connected.
        health = wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        assert health == {"ok": True, "database": "ok", "slack": "ok"}
        assert emulator.socket_mode.connection_count == 1
        yield SocketModeDriver(emulator)
        status, _ = get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 200


def test_a_slash_command_is_answered_through_the_ack(
    socket_tandem: SocketModeDriver, emulator: SlackEmulator
) -> None:
    response = socket_tandem.command(MENTEE, "help")
    assert response.ok and not response.timed_out
    assert "/tandem pair @mentor @mentee" in response.json["text"]
    assert emulator.socket_mode.problems == []


def test_a_button_and_a_modal_submission(
    socket_tandem: SocketModeDriver, emulator: SlackEmulator
) -> None:
    admin = socket_tandem.command(ADMIN, "admin")
    assert admin.ok
    click = socket_tandem.click(ADMIN, "admin.open_settings")
    assert click.ok and not click.timed_out
    emulator.wait_for("views.open", timeout=10)
    view = emulator.open_view(ADMIN)
    assert view is not None
    submitted = socket_tandem.submit_view(
        ADMIN, view, {("celebrations_channel", "value"): CELEBRATIONS_CHANNEL}
    )
    assert submitted.ok and submitted.problems == []
    assert emulator.open_view(ADMIN) is None  # the modal closed: the submission was accepted
    kinds = [ack.kind for ack in emulator.socket_mode.acks]
    assert kinds == ["slash_commands", "interactive", "interactive"]
    assert not any(ack.late for ack in emulator.socket_mode.acks)


def test_events_arrive_as_envelopes(
    socket_tandem: SocketModeDriver, emulator: SlackEmulator
) -> None:
    socket_tandem.open_home(MENTEE)
    home = emulator.wait_for("views.publish", timeout=10)
    assert home[0].response["ok"]
    dm = emulator.dm_channel(MENTEE)
    socket_tandem.event(
        {"type": "message", "channel_type": "im", "channel": dm, "user": MENTEE, "text": "hi"}
    )
    emulator.wait_for(
        lambda c: c.method == "chat.postMessage" and c.args.get("channel") == dm, timeout=10
    )
    assert [ack.kind for ack in emulator.socket_mode.acks] == ["events_api", "events_api"]


def test_a_dropped_connection_is_reopened_and_no_command_is_lost(
    socket_tandem: SocketModeDriver, emulator: SlackEmulator
) -> None:
    endpoint = emulator.socket_mode
    assert endpoint.drop_connections() == 1
    # The very next command waits for the bot to re-open its connection, then is answered.
    response = socket_tandem.command(MENTEE, "help")
    assert response.ok, response.body
    assert "/tandem pair @mentor @mentee" in response.json["text"]
    assert endpoint.opened == 2
    assert len(emulator.calls("apps.connections.open")) >= 3  # start-up check, first, re-open
    endpoint.request_refresh()  # Slack's planned refresh: disconnect, then close
    assert socket_tandem.command(MENTEE, "help").ok
    assert endpoint.opened == 3
    assert endpoint.problems == []


def test_a_connection_lost_without_a_close_is_noticed_and_reopened(
    socket_tandem: SocketModeDriver, emulator: SlackEmulator
) -> None:
    endpoint = emulator.socket_mode
    assert endpoint.drop_connections(abrupt=True) == 1
    response = socket_tandem.command(MENTEE, "help")  # waits while the bot's pings go unanswered
    assert response.ok and "/tandem pair @mentor @mentee" in response.json["text"]
    assert endpoint.opened == 2


def test_ctrl_c_closes_the_connection_quietly(tmp_path: Path, emulator: SlackEmulator) -> None:
    port = free_port()
    env = {**socket_mode_env(tmp_path, emulator), "PORT": str(port)}
    with tandem_process(["serve"], tmp_path, env) as process:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode in (0, 130)
    assert "Traceback" not in stderr and "Exception" not in stderr, stderr

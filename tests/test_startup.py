"""`tandem serve` checks its credentials before it is ready, and whatever a user can get wrong
ends in one paragraph naming the setting and exit code 2, never a traceback."""

import signal
import socket
import time
from pathlib import Path

import pytest

from devkit.emulator import SlackEmulator
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET
from tests.support.processes import (
    clean_environment,
    env_from_example,
    free_port,
    get_json,
    run_tandem,
    tandem_process,
    wait_healthy,
)


def serve_once(tmp_path: Path, values: dict[str, str], **env: str) -> tuple[int, str]:
    """Run `tandem serve` with a .env from .env.example; (exit code, stderr) once it stops."""
    env_from_example(tmp_path, values)
    result = run_tandem(["serve"], tmp_path, clean_environment(PORT=str(free_port()), **env))
    return result.returncode, result.stderr


def assert_one_paragraph(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for word in words:
        assert word in stderr, stderr


def test_a_wrong_bot_token_stops_with_a_sentence(tmp_path: Path, emulator: SlackEmulator) -> None:
    code, stderr = serve_once(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": "xoxb-not-the-right-one",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.url,
        },
    )
    assert code == 2
    assert_one_paragraph(stderr, "SLACK_BOT_TOKEN", "invalid_auth", "OAuth & Permissions")
    assert "xoxb-not-the-right-one" not in stderr
    assert not (tmp_path / "tandem.db").exists()  # stopped before touching anything


def test_a_revoked_bot_token_says_to_reinstall(tmp_path: Path, emulator: SlackEmulator) -> None:
    emulator.revoke(BOT_TOKEN)
    code, stderr = serve_once(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.url,
        },
    )
    assert code == 2
    assert_one_paragraph(stderr, "SLACK_BOT_TOKEN", "token_revoked", "Reinstall")


def test_no_network_to_slack_names_the_url(tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    code, stderr = serve_once(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": nowhere,
        },
    )
    assert code == 2
    assert_one_paragraph(stderr, "could not reach", nowhere, "SLACK_API_URL")


def test_http_mode_names_every_missing_setting_at_once(tmp_path: Path) -> None:
    code, stderr = serve_once(tmp_path, {})
    assert code == 2
    assert_one_paragraph(stderr, "SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set", "HTTP")


def test_socket_mode_needs_no_signing_secret_but_a_bot_token(
    tmp_path: Path, emulator: SlackEmulator
) -> None:
    code, stderr = serve_once(
        tmp_path, {"SLACK_APP_TOKEN": emulator.app_token, "SLACK_API_URL": emulator.url}
    )
    assert code == 2
    assert_one_paragraph(stderr, "SLACK_BOT_TOKEN is not set", "Socket Mode")
    assert "SLACK_SIGNING_SECRET" not in stderr


def test_a_wrong_app_token_stops_with_a_sentence(tmp_path: Path, emulator: SlackEmulator) -> None:
    code, stderr = serve_once(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": "xapp-1-wrong",
            "SLACK_API_URL": emulator.url,
        },
    )
    assert code == 2
    assert_one_paragraph(stderr, "SLACK_APP_TOKEN", "invalid_auth", "App-Level Tokens")


def test_the_port_in_use_names_port(tmp_path: Path, emulator: SlackEmulator) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env_from_example(
            tmp_path,
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": emulator.url,
            },
        )
        result = run_tandem(["serve"], tmp_path, clean_environment(PORT=str(port)))
    assert result.returncode == 2
    assert_one_paragraph(result.stderr, "PORT", str(port), "in use")


def test_an_unreachable_database_is_a_sentence(tmp_path: Path, emulator: SlackEmulator) -> None:
    code, stderr = serve_once(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.url,
            "DATABASE_URL": f"postgresql://nobody@127.0.0.1:{free_port()}/none",
        },
    )
    assert code == 2
    assert_one_paragraph(stderr, "DATABASE_URL")


def test_ctrl_c_stops_quietly(tmp_path: Path, emulator: SlackEmulator) -> None:
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
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode in (0, 130)
    assert "Traceback" not in stderr, stderr


def test_healthz_reports_slack_and_database(tmp_path: Path, emulator: SlackEmulator) -> None:
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
        health = wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        # Healthy means Slack answered: the start-up check came first.
        assert health == {"ok": True, "database": "ok", "slack": "ok"}
        assert [c.method for c in emulator.calls()][:1] == ["auth.test"]
        (tmp_path / "tandem.db").unlink()
        (tmp_path / "tandem.db-wal").unlink(missing_ok=True)
        status, _ = get_json(f"http://127.0.0.1:{port}/healthz")
        assert status in (200, 503)  # SQLite recreates the file; what matters is no crash


def test_version_and_help(tmp_path: Path) -> None:
    version = run_tandem(["--version"], tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("tandem ")
    top = run_tandem(["--help"], tmp_path)
    assert top.returncode == 0
    commands = ["serve", "run-due", "export", "demo", "db"]
    for name in commands:
        line = next(line for line in top.stdout.splitlines() if line.strip().startswith(name))
        assert len(line.split(None, 1)) == 2, f"{name} has no description in --help"
        sub = run_tandem([*name.split(), "--help"], tmp_path)
        assert sub.returncode == 0, sub.stderr
    assert "--html" in run_tandem(["demo", "--help"], tmp_path).stdout


def test_db_without_an_action_prints_its_usage(tmp_path: Path) -> None:
    result = run_tandem(["db"], tmp_path)
    assert result.returncode == 2
    assert "upgrade" in result.stderr and "usage: tandem db" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["frobnicate"], ["run-due", "--now", "yesterday"]])
def test_bad_arguments_are_exit_2_without_traceback(tmp_path: Path, args: list[str]) -> None:
    result = run_tandem(args, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_ready_means_checked(tmp_path: Path, emulator: SlackEmulator) -> None:
    """Slack that answers slowly: /healthz is not healthy before auth.test came back."""
    emulator.set_latency("auth.test", 2.0)
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
        time.sleep(1.0)
        with pytest.raises(OSError):
            get_json(f"http://127.0.0.1:{port}/healthz")
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)


def test_an_unwritable_export_file_is_a_sentence(tmp_path: Path) -> None:
    env = clean_environment(DATABASE_URL=f"sqlite:///{tmp_path}/t.db")
    result = run_tandem(["export", "-o", str(tmp_path / "missing" / "pairs.csv")], tmp_path, env)
    assert result.returncode == 2
    assert_one_paragraph(result.stderr, "pairs.csv", "No such file")


@pytest.mark.parametrize("zone", ["Europe", "Etc/", "zone.tab", "Europe/Atlantis", "UTC+3"])
def test_a_timezone_that_is_not_one_is_a_sentence(tmp_path: Path, zone: str) -> None:
    """A region ("Europe" is a folder of the timezone database), a data file of it, or a
    made-up name stops `serve` (TZ in .env) and `run-due` (TZ in the environment) alike."""
    code, stderr = serve_once(
        tmp_path, {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "TZ": zone}
    )
    assert code == 2
    assert_one_paragraph(stderr, "TZ", f"“{zone}”", "IANA timezone name")

    cron = tmp_path / "cron"  # no .env here: only the environment
    cron.mkdir()
    env = clean_environment(
        DATABASE_URL=f"sqlite:///{cron}/t.db", SLACK_BOT_TOKEN=BOT_TOKEN, TZ=zone
    )
    result = run_tandem(["run-due"], cron, env)
    assert result.returncode == 2
    assert_one_paragraph(result.stderr, "TZ", f"“{zone}”", "IANA timezone name")
    assert not (cron / "t.db").exists()  # stopped before touching anything


def test_a_region_says_to_name_a_city_in_it(tmp_path: Path) -> None:
    env = clean_environment(DATABASE_URL=f"sqlite:///{tmp_path}/t.db", TZ="America")
    result = run_tandem(["run-due"], tmp_path, env)
    assert result.returncode == 2
    assert_one_paragraph(result.stderr, "“America” is a region", "America/New_York")

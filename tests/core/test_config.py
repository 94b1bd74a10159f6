"""Settings: validated once, and a missing or malformed one explained in one paragraph."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.config import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def run_tandem(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TANDEM_"))}
    base.pop("DATABASE_URL", None)
    base["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_use_sqlite_and_slack() -> None:
    settings = load_settings({})
    assert settings.database_url == "sqlite:///tandem.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert not settings.socket_mode and not settings.oauth


def test_api_url_gets_its_trailing_slash_and_admins_are_parsed() -> None:
    settings = load_settings(
        {"SLACK_API_URL": "http://127.0.0.1:9999/api", "TANDEM_ADMINS": "U0ADMIN1, W0ADMIN2"}
    )
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.admins == {"U0ADMIN1", "W0ADMIN2"}


def test_the_public_url_and_the_metrics_token_are_read_and_the_token_kept_secret() -> None:
    settings = load_settings(
        {"TANDEM_PUBLIC_URL": "https://tandem.example.com/", "METRICS_TOKEN": " s3cret "}
    )
    assert settings.public_url == "https://tandem.example.com"
    assert settings.metrics_token == "s3cret"
    assert "s3cret" in settings.secrets  # never logged
    assert load_settings({"TANDEM_PUBLIC_URL": "", "METRICS_TOKEN": ""}).metrics_token is None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN"),
        ({"SLACK_CLIENT_ID": "123.456"}, "SLACK_CLIENT_SECRET"),
        ({"DATABASE_URL": "mysql://localhost/tandem"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"TZ": "Mars/Olympus_Mons"}, "TZ"),
        ({"TZ": "Europe"}, "TZ"),  # a folder of the timezone database
        ({"TZ": "tzdata.zi"}, "TZ"),  # a data file in it
        ({"TZ": "Europe//Berlin"}, "TZ"),
        ({"TANDEM_ADMINS": "alice"}, "TANDEM_ADMINS"),
        ({"TANDEM_CELEBRATIONS_CHANNEL": "#wins"}, "TANDEM_CELEBRATIONS_CHANNEL"),
        ({"TANDEM_PUBLIC_URL": "tandem.example.com"}, "TANDEM_PUBLIC_URL"),
        ({"TANDEM_CLIENT_REQUESTS_PER_SECOND": "fast"}, "TANDEM_CLIENT_REQUESTS_PER_SECOND"),
        ({"TANDEM_CLIENT_REQUESTS_PER_SECOND": "0"}, "TANDEM_CLIENT_REQUESTS_PER_SECOND"),
        ({"TANDEM_CLIENT_REQUESTS_PER_SECOND": "2.5"}, "TANDEM_CLIENT_REQUESTS_PER_SECOND"),
    ],
)
def test_malformed_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(env)
    assert named in str(raised.value)
    assert "README" in str(raised.value)


def test_serve_without_tokens_explains_itself(tmp_path: Path) -> None:
    result = run_tandem(["serve"], {}, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set" in result.stderr
    assert "README" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one paragraph


def test_serve_with_secret_but_no_bot_token_names_the_token(tmp_path: Path) -> None:
    result = run_tandem(["serve"], {"SLACK_SIGNING_SECRET": "s3cret"}, tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_come_from_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_SIGNING_SECRET=s3cret\nSLACK_BOT_TOKEN=not-a-token\n")
    result = run_tandem(["serve"], {}, tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is set to “not-a-token”" in result.stderr


def test_unreachable_database_is_explained(tmp_path: Path) -> None:
    result = run_tandem(
        ["db", "upgrade"], {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, tmp_path
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_due_rejects_a_time_without_timezone(tmp_path: Path) -> None:
    result = run_tandem(["run-due", "--now", "2026-03-30T09:00"], {}, tmp_path)
    assert result.returncode == 2
    assert "has no timezone" in result.stderr


def test_db_upgrade_creates_the_sqlite_database(tmp_path: Path) -> None:
    result = run_tandem(["db", "upgrade"], {"DATABASE_URL": f"sqlite:///{tmp_path}/t.db"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "t.db").exists()
    again = run_tandem(["db", "upgrade"], {"DATABASE_URL": f"sqlite:///{tmp_path}/t.db"}, tmp_path)
    assert "0 migration(s) applied" in again.stdout


@pytest.mark.parametrize("port", ["²", "99999999999999999999999", "٣٠٠٠"])
def test_a_port_with_non_ascii_or_huge_digits_is_one_paragraph(port: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"PORT": port})
    assert "PORT" in str(raised.value) and "\n" not in str(raised.value).strip()

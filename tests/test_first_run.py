"""The README's first run, as a newcomer walks it: `.env` copied from `.env.example`, only the
Slack values filled in, `tandem serve` started in its own directory, a real `/tandem help`."""

from pathlib import Path

from bot.core.config import SETTING_NAMES, drop_empty_settings, load_settings
from devkit.emulator import SlackDriver, SlackEmulator
from tests.support.harness import BOT_TOKEN, MENTEE, SIGNING_SECRET
from tests.support.processes import (
    ROOT,
    clean_environment,
    env_from_example,
    free_port,
    tandem_process,
    wait_healthy,
)


def test_env_example_with_only_token_and_secret_answers_help(
    tmp_path: Path, emulator: SlackEmulator
) -> None:
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
        assert health["ok"] is True
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, emulator)
        response = driver.command(MENTEE, "help")
    assert response.status == 200, response.body
    text = response.json["text"]
    assert "/tandem pair @mentor @mentee" in text
    assert "reinstall" not in text.lower()
    # The SQLite file the README promises, where tandem was started.
    assert (tmp_path / "tandem.db").exists()


def test_empty_lines_are_unset_settings() -> None:
    environ = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_CLIENT_ID": "",
        "SLACK_CLIENT_SECRET": " ",
        "SLACK_REDIRECT_URI": "",
        "PORT": "",
        "HOME": "",
    }
    assert drop_empty_settings(environ) == [
        "PORT",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACK_REDIRECT_URI",
    ]
    assert environ == {"SLACK_BOT_TOKEN": "xoxb-1", "HOME": ""}
    settings = load_settings(environ)
    assert not settings.oauth and settings.port == 3000


def test_env_example_documents_every_setting() -> None:
    example = (ROOT / ".env.example").read_text()
    for name in SETTING_NAMES:
        assert f"\n{name}=" in example, f"{name} is not in .env.example"

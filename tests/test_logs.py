"""Logs an operator can read and ship: quiet at INFO, JSON lines on request, never a secret."""

import io
import json
import logging
import time
from pathlib import Path

import pytest

from bot.core.logs import JsonFormatter, RedactSecrets, TextFormatter, fields_of
from bot.core.people import ensure_workspace
from bot.scheduler import tick
from devkit.emulator import SlackDriver, SlackEmulator
from tests.delivery.helpers import queue
from tests.support.harness import BOT_TOKEN, MENTEE, Harness
from tests.support.processes import (
    clean_environment,
    env_from_example,
    free_port,
    tandem_process,
    wait_healthy,
)

SECRET = "s1gning-s3cret-never-logged"


def serve_and_talk(tmp_path: Path, emulator: SlackEmulator, **env: str) -> str:
    """Run `tandem serve`, send /tandem help, let the first minute tick run; its stderr."""
    env_from_example(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": emulator.url,
        },
    )
    port = free_port()
    with tandem_process(["serve"], tmp_path, clean_environment(PORT=str(port), **env)) as process:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SECRET, emulator)
        assert driver.command(MENTEE, "help").ok
        time.sleep(2.5)  # the first tick runs a second after start
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    return stderr


def test_info_logs_say_ready_and_nothing_every_minute(
    tmp_path: Path, emulator: SlackEmulator
) -> None:
    stderr = serve_and_talk(tmp_path, emulator)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "listening for Slack" in lines[0]
    for chatter in ("Running job", "executed successfully", "alembic", "Context impl"):
        assert chatter not in stderr


def test_json_lines_at_debug_carry_no_secret(tmp_path: Path, emulator: SlackEmulator) -> None:
    stderr = serve_and_talk(tmp_path, emulator, LOG_LEVEL="DEBUG", LOG_FORMAT="json")
    lines = stderr.strip().splitlines()
    assert len(lines) > 10  # DEBUG really is verbose: requests, Bolt, the scheduler
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["logger"] == "tandem" and "listening" in r["message"] for r in records)
    assert BOT_TOKEN not in stderr
    assert SECRET not in stderr


def test_json_lines_name_team_pair_kind_and_key() -> None:
    record = logging.LogRecord(
        "bot", logging.WARNING, __file__, 1, "outbox %s failed", ("k",), None
    )
    for name, value in fields_of(team="T1", pair=7, kind="reminder", key="k", nothing=None).items():
        setattr(record, name, value)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "outbox k failed"
    assert (line["team"], line["pair"], line["kind"], line["key"]) == ("T1", 7, "reminder", "k")
    assert "nothing" not in line
    assert TextFormatter().format(record).endswith("[team=T1 pair=7 kind=reminder key=k]")


def test_secrets_are_redacted_from_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(["my-signing-secret"]))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    try:
        logger.error("secret %s and token xoxb-1234-5678-abcdef", "my-signing-secret")
        try:
            raise ValueError("bad token xapp-1-A0-99-deadbeef")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "my-signing-secret" not in text and "xoxb-1234" not in text and "xapp-1-A0" not in text
    assert "secret [redacted] and token [redacted]" in text


def test_a_tick_logs_one_line_only_when_it_did_something(
    tandem: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    tandem.stop_delivery()
    with tandem.session() as session:
        ensure_workspace(session, tandem.team_id)
    queue(tandem.ctx, "hello", MENTEE, tandem.clock.now(), recipient_user_id=MENTEE)
    with caplog.at_level(logging.INFO, logger="bot.scheduler"):
        tick(tandem.ctx)
        busy = [r for r in caplog.records if r.name == "bot.scheduler"]
        caplog.clear()
        tick(tandem.ctx)
        idle = [r for r in caplog.records if r.name == "bot.scheduler"]
    assert len(busy) == 1 and "sent 1" in busy[0].getMessage()
    assert idle == []

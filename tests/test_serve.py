"""`tandem serve` as a new user runs it: a real process, HTTP on PORT, the emulator as Slack."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.emulator import SlackDriver, SlackEmulator
from tests.support.harness import BOT_TOKEN, MENTEE, SIGNING_SECRET

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"tandem serve exited: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.1)
    raise AssertionError("tandem serve did not become healthy")


@pytest.fixture
def served(tmp_path: Path, emulator: SlackEmulator) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TANDEM_"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.url,
            "PORT": str(port),
            "DATABASE_URL": f"sqlite:///{tmp_path}/tandem.db",
            "PYTHONPATH": str(ROOT),
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(10)


def test_serve_answers_help_over_signed_http(
    served: tuple[str, subprocess.Popen], emulator: SlackEmulator
) -> None:
    base, process = served
    assert wait_healthy(f"{base}/healthz", process) == {"ok": True, "database": "ok", "slack": "ok"}
    driver = SlackDriver(f"{base}/slack/events", SIGNING_SECRET, emulator)
    response = driver.command(MENTEE, "help")
    assert response.status == 200
    assert "/tandem pair @mentor @mentee" in response.json["text"]
    bad = driver.sign("x=1")
    bad["X-Slack-Signature"] = "v0=deadbeef"
    request = urllib.request.Request(f"{base}/slack/events", data=b"x=1", headers=bad)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401

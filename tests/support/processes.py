"""Tandem as a newcomer runs it: the `tandem` command as a subprocess, in its own directory,
configured only by a `.env` made from `.env.example`."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The console script of the virtualenv running the tests (the worktree's own).
TANDEM = str(Path(sys.executable).with_name("tandem"))


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any Tandem or Slack setting, plus `extra`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "TANDEM_", "LOG_"))
        and name not in ("DATABASE_URL", "PORT", "TZ")
    }
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def env_from_example(directory: Path, values: Mapping[str, str]) -> Path:
    """Write `directory/.env` the way the README says: a copy of `.env.example` with `values`
    filled in on their own lines; every other line stays as shipped (empty ones included)."""
    text = (ROOT / ".env.example").read_text()
    for name, value in values.items():
        text, count = re.subn(rf"^{name}=.*$", f"{name}={value}", text, flags=re.MULTILINE)
        assert count == 1, f".env.example has no {name}= line"
    path = directory / ".env"
    path.write_text(text)
    return path


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 40) -> dict:
    """Poll `url` until it answers 200; the process dying or a timeout fails the test."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"tandem exited {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            last = f"{error.code} {error.read().decode()}"
        except OSError as error:
            last = str(error)
        time.sleep(0.1)
    raise AssertionError(f"tandem did not become healthy at {url}: {last}")


def get_json(url: str) -> tuple[int, dict]:
    """(status, body) of a GET that answers JSON, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextmanager
def tandem_process(
    args: list[str], cwd: Path, env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """`tandem ARGS` running in `cwd`; terminated (and reaped) afterwards."""
    process = subprocess.Popen(
        [TANDEM, *args],
        cwd=cwd,
        env=dict(env) if env is not None else clean_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def run_tandem(
    args: list[str], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """`tandem ARGS` run to completion in `cwd`."""
    return subprocess.run(
        [TANDEM, *args],
        cwd=cwd,
        env=dict(env) if env is not None else clean_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )

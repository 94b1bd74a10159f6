"""The Dockerfile and compose.yaml, read the way Docker reads them (Docker itself is not on these
machines): every `tandem` command they run exists, and the health check really works."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import build_parser
from devkit.emulator import SlackEmulator
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET
from tests.support.processes import (
    ROOT,
    clean_environment,
    env_from_example,
    free_port,
    tandem_process,
    wait_healthy,
)


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    instructions, pending = [], ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = pending + line
        pending = ""
        keyword, _, rest = whole.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def exec_form(arguments: str) -> list[str]:
    """A CMD/HEALTHCHECK CMD in JSON (exec) form."""
    parsed = json.loads(arguments)
    assert isinstance(parsed, list) and all(isinstance(a, str) for a in parsed)
    return parsed


def assert_tandem_command_exists(command: list[str]) -> None:
    assert command[0] == "tandem", command
    parser = build_parser()
    try:
        args = parser.parse_args(command[1:])
    except SystemExit as exit_:
        pytest.fail(f"`{' '.join(command)}` is not a tandem command (exit {exit_.code})")
    assert args.command is not None
    if args.command == "db":
        assert args.db_command is not None, f"`{' '.join(command)}` names no db action"


def named_commands() -> list[list[str]]:
    commands = [exec_form(args) for keyword, args in dockerfile() if keyword == "CMD"]
    for service in compose()["services"].values():
        command = service.get("command")
        if isinstance(command, str):
            command = command.split()
        if command and command[0] == "tandem":
            commands.append(command)
    return commands


def test_every_command_they_name_exists_in_the_cli() -> None:
    commands = named_commands()
    assert ["tandem", "serve"] in commands
    assert ["tandem", "db", "upgrade"] in commands
    for command in commands:
        assert_tandem_command_exists(command)


def test_the_image_is_slim_python_run_by_a_non_root_user() -> None:
    steps = dockerfile()
    base = next(args for keyword, args in steps if keyword == "FROM")
    assert base.startswith("python:3.1") and base.endswith("-slim")
    users = [args for keyword, args in steps if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert exec_form(next(a for k, a in steps if k == "CMD")) == ["tandem", "serve"]
    for keyword, args in steps:
        if keyword == "COPY":
            *sources, _ = args.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file in the repo"
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored  # secrets never end up in the image


def test_compose_migrates_once_before_the_app_on_postgresql_15() -> None:
    services = compose()["services"]
    assert services["db"]["image"] == "postgres:15"
    migrate, app = services["migrate"], services["app"]
    assert migrate["command"] == ["tandem", "db", "upgrade"]
    assert migrate.get("restart") == "no"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["environment"]["TANDEM_AUTO_MIGRATE"] == "false"
    for service in (migrate, app):
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://")


def test_the_health_check_passes_only_while_tandem_is_healthy(
    tmp_path: Path, emulator: SlackEmulator
) -> None:
    health = next(args for keyword, args in dockerfile() if keyword == "HEALTHCHECK")
    options, _, command = health.partition("CMD ")
    assert "--interval" in options
    probe = exec_form(command)
    assert probe[:2] == ["python", "-c"] and "/healthz" in probe[2]
    port = free_port()

    def run_probe() -> int:
        env = clean_environment(PORT=str(port))
        return subprocess.run([sys.executable, *probe[1:]], env=env, timeout=30).returncode

    env_from_example(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.url,
        },
    )
    with tandem_process(["serve"], tmp_path, clean_environment(PORT=str(port))) as process:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        assert run_probe() == 0
    assert run_probe() != 0

"""Acting as admins and members in the programme tests, over signed HTTP."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from devkit.emulator import SlackEmulator
from tests.support.harness import ADMIN, BOT_TOKEN, SIGNING_SECRET, Harness

ROOT = Path(__file__).resolve().parents[2]


def text_of(message: dict[str, Any]) -> str:
    """A message's text and blocks as one string."""
    return (message.get("text") or "") + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def ephemeral_reply(tandem: Harness, user_id: str, text: str) -> dict[str, Any]:
    """Run `/tandem <text>`; the private answer, whether in the ack or via response_url."""
    before = len(tandem.emulator.ephemeral_messages(user=user_id))
    response = tandem.slack.command(user_id, text)
    assert response.ok, response.body
    if response.json and response.json.get("text"):
        return response.json
    tandem.emulator.wait_for(
        lambda call: len(tandem.emulator.ephemeral_messages(user=user_id)) > before, timeout=30
    )
    return tandem.emulator.ephemeral_messages(user=user_id)[-1]


def latest_ephemeral(tandem: Harness, user_id: str, after: int) -> dict[str, Any]:
    """The newest ephemeral `user_id` saw once there are more than `after`."""
    tandem.emulator.wait_for(
        lambda call: len(tandem.emulator.ephemeral_messages(user=user_id)) > after, timeout=30
    )
    return tandem.emulator.ephemeral_messages(user=user_id)[-1]


def command_modal(tandem: Harness, user_id: str, text: str) -> dict[str, Any]:
    """Run `/tandem <text>` and return the modal it opened."""
    before = len(tandem.emulator.calls("views.open"))
    response = tandem.slack.command(user_id, text)
    assert response.ok and not (response.json or {}).get("text"), response.body
    tandem.emulator.wait_for("views.open", count=before + 1)
    view = tandem.emulator.open_view(user_id)
    assert view is not None, tandem.emulator.dump_calls()
    return view


def set_topics(tandem: Harness, topics: list[str], admins: list[str] | None = None) -> None:
    """An admin lists the workspace's topics (and programme admins) in the settings modal."""
    modal = command_modal(tandem, ADMIN, "admin settings")
    values: dict[Any, Any] = {("topics", "value"): "\n".join(topics)}
    if admins is not None:
        values[("programme_admins", "value")] = admins
    response = tandem.slack.submit_view(ADMIN, modal, values)
    assert response.ok and not response.problems, response.body


def join(
    tandem: Harness,
    user_id: str,
    role: str,
    offers: list[str] = (),  # type: ignore[assignment]
    seeks: list[str] = (),  # type: ignore[assignment]
    capacity: int = 1,
) -> dict[str, Any]:
    """`/tandem join` and submit the profile; returns the app's answer to the submission."""
    modal = command_modal(tandem, user_id, "join")
    values: dict[Any, Any] = {("role", "value"): role, ("capacity", "value"): str(capacity)}
    if offers:
        values[("offers", "value")] = list(offers)
    if seeks:
        values[("seeks", "value")] = list(seeks)
    response = tandem.slack.submit_view(user_id, modal, values)
    assert response.ok, response.body
    return response.json or {}


def cohort_modal(
    tandem: Harness, action_id: str = "programme.cohort.new", value: str = ""
) -> dict[str, Any]:
    """`/tandem admin cohorts`, then New cohort (or Edit): the cohort modal."""
    ephemeral_reply(tandem, ADMIN, "admin cohorts")
    before = len(tandem.emulator.calls("views.open"))
    assert tandem.slack.click(ADMIN, action_id, value).ok
    tandem.emulator.wait_for("views.open", count=before + 1)
    modal = tandem.emulator.open_view(ADMIN)
    assert modal is not None
    return modal


def new_cohort(tandem: Harness, name: str, **own: str) -> dict[str, Any]:
    """The admin creates a cohort in the modal, with its own settings (block id → value)."""
    values: dict[Any, Any] = {
        ("name", "value"): name,
        ("starts_on", "value"): date(2026, 3, 1),
        ("ends_on", "value"): date(2026, 8, 31),
        **{(block, "value"): value for block, value in own.items()},
    }
    response = tandem.slack.submit_view(ADMIN, cohort_modal(tandem), values)
    assert response.ok and not response.problems, response.body
    return response.json or {}


def run_tandem(
    database_url: str, emulator: SlackEmulator, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`tandem ARGS` as an operator runs it: a process of its own against the emulator, with
    only the settings a `.env` would give it (none of this machine's SLACK_ or TANDEM_)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TANDEM_"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.url,
            "DATABASE_URL": database_url,
            "TANDEM_ADMINS": ADMIN,
            "PYTHONPATH": str(ROOT),
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )

"""Goals tests: an active pair, and the steps people take (open the modal, fill it in...)."""

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from bot.core.people import ensure_workspace
from bot.goals import form_rules
from devkit.emulator import SlackEmulator
from devkit.emulator.server import Call
from storage.models import Goal
from tests.support.factories import DEFAULT_CHARTER, PairRef, create_active_pair
from tests.support.harness import (
    CELEBRATIONS_CHANNEL,
    MENTEE,
    AppServer,
    Harness,
    running_tandem,
)


@dataclass
class Steps:
    """What the mentor and mentee do, driven over signed HTTP like Slack does."""

    tandem: Harness
    pair: PairRef

    @property
    def emulator(self) -> SlackEmulator:
        return self.tandem.emulator

    def open_modal(self, user: str, text: str) -> dict[str, Any]:
        """Run `/tandem <text>` and return the modal it opens (opened just after the ack)."""
        opened = len(self.emulator.calls("views.open"))
        response = self.tandem.slack.command(user, text)
        assert response.ok and not response.body.strip(), response.body
        self.emulator.wait_for("views.open", count=opened + 1)
        view = self.emulator.open_view(user)
        assert view is not None
        return view

    def open_goal_modal(self, user: str = MENTEE, args: str = "") -> dict[str, Any]:
        return self.open_modal(user, f"goal {args}".strip())

    def click(self, user: str, message: dict[str, Any], action_id: str, method: str) -> Any:
        """Click a button in a message and wait for the Slack call the click leads to."""
        before = len(self.emulator.calls(method))
        response = self.tandem.slack.click_button_in(message, user, action_id=action_id)
        assert response.ok, response.body
        return self.emulator.wait_for(method, count=before + 1)[-1]

    def crafted(self, user: str, view: dict[str, Any], view_id: str) -> dict[str, Any]:
        """A copy of `view` as a forged or replayed request would carry it: not on anyone's
        screen (the real one is closed) and without Slack's client-side limits."""
        self.tandem.slack.close_view(user, view)
        forged = copy.deepcopy(view)
        forged["id"] = view_id
        for block in forged["blocks"]:
            element = block.get("element") or {}
            for limit in ("max_length", "min_value", "max_value"):
                element.pop(limit, None)
            if element.get("type") == "number_input":  # any text at all can be forged
                element["type"] = "plain_text_input"
                element.pop("is_decimal_allowed")
        return forged

    def goal_values(
        self,
        title: str = "Lead the Q3 launch",
        *,
        why: str = "It's the step to tech lead.",
        target: date | None = date(2026, 6, 30),
        owner: str = form_rules.OWNER_ME,
        milestones: list[tuple[str, date | None]] | None = None,
    ) -> dict[str, Any]:
        values: dict[str, Any] = {form_rules.TITLE: title, form_rules.OWNER: owner}
        if why:
            values[form_rules.WHY] = why
        if target:
            values[form_rules.TARGET] = target.isoformat()
        for index, (name, due) in enumerate(milestones or []):
            values[form_rules.milestone_title_id(index)] = name
            if due:
                values[form_rules.milestone_due_id(index)] = due.isoformat()
        return values

    def create_goal(self, user: str = MENTEE, **kwargs: Any) -> dict[str, Any]:
        """Set a goal through the modal; returns its message in the group DM."""
        before = len(self.goal_messages())
        view = self.open_goal_modal(user)
        response = self.tandem.slack.submit_view(user, view, self.goal_values(**kwargs))
        assert response.ok and response.problems == [], (response.body, response.problems)
        assert response.body.strip() == "", response.body
        self.wait_for_post(self.pair.home_channel_id, count=before + 1, kind="goal.new")
        return self.goal_messages()[-1]

    def goal_messages(self) -> list[dict[str, Any]]:
        return [
            m
            for m in self.emulator.messages(self.pair.home_channel_id)
            if m["blocks"] and m["blocks"][0]["type"] == "header"
        ]

    def wait_for_post(self, channel: str, count: int = 1, kind: str | None = None) -> list[Call]:
        """Wait until `count` messages (with outbox key kind `kind`) were posted in `channel`."""
        resolved = self.emulator.resolve_channel(channel)

        def posted(call: Call) -> bool:
            if call.method != "chat.postMessage" or not call.response.get("ok"):
                return False
            if call.response.get("channel") != resolved:
                return False
            key = ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")
            return kind is None or key.startswith(f"{kind}:")

        return self.emulator.wait_for(posted, count=count)

    def latest(self, channel: str, contains: str) -> dict[str, Any]:
        """The newest message in `channel` whose text contains `contains`."""
        found = [m for m in self.emulator.messages(channel) if contains in (m["text"] or "")]
        assert found, [m["text"] for m in self.emulator.messages(channel)]
        return found[-1]

    def goal_id(self) -> int:
        with self.tandem.session() as session:
            return session.exec(select(Goal).order_by(Goal.id.desc())).first().id  # type: ignore[union-attr]

    @staticmethod
    def text_of(message: dict[str, Any]) -> str:
        """Every piece of text a reader sees in a message."""
        parts = [message.get("text") or ""]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("text"), str):
                    parts.append(node["text"])
                for value in node.values():
                    if isinstance(value, (dict, list)):
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(message.get("blocks") or [])
        return "\n".join(parts)

    def set_channel(self, channel: str | None = CELEBRATIONS_CHANNEL) -> None:
        """A programme admin picks the celebrations channel (the workspace setting)."""
        with self.tandem.session() as session:
            workspace = ensure_workspace(session, self.tandem.team_id)
            workspace.celebrations_channel = channel
            session.add(workspace)


@pytest.fixture
def pair(tandem: Harness) -> PairRef:
    return create_active_pair(tandem)


@pytest.fixture
def steps(tandem: Harness, pair: PairRef) -> Steps:
    return Steps(tandem, pair)


@pytest.fixture
def steps_sharing(tandem: Harness) -> Callable[[str], Steps]:
    """Steps for a pair whose charter says how to share wins: "ask", "always" or "never"."""

    def make(mode: str) -> Steps:
        charter = {**DEFAULT_CHARTER, "celebration_sharing": mode}
        return Steps(tandem, create_active_pair(tandem, charter=charter))

    return make


@pytest.fixture
def with_channel(steps: Steps) -> Steps:
    """Steps in a workspace whose admins picked a celebrations channel."""
    steps.set_channel()
    return steps


@pytest.fixture
def env_channel_tandem(
    database_url: str, emulator: SlackEmulator, app_server: AppServer
) -> Iterator[Harness]:
    """Tandem configured with TANDEM_CELEBRATIONS_CHANNEL (no workspace setting)."""
    yield from running_tandem(
        database_url, emulator, server=app_server, celebrations_channel=CELEBRATIONS_CHANNEL
    )


@pytest.fixture
def env_steps(env_channel_tandem: Harness) -> Steps:
    """Steps for a pair in a Tandem configured with TANDEM_CELEBRATIONS_CHANNEL."""
    return Steps(env_channel_tandem, create_active_pair(env_channel_tandem))

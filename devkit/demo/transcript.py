"""The demo's transcript: who did what, and what each person then saw, grouped by time."""

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from devkit.demo.blocks import message_lines, view_lines
from devkit.demo.story import ACTION, NOTE, Card, Story
from devkit.emulator import Call

# Web API calls that change nothing a person sees.
_SILENT = {"users.info", "auth.test", "conversations.open", "conversations.info", "team.info"}


@dataclass(frozen=True)
class Person:
    """Someone in the demo workspace."""

    user_id: str
    name: str
    tz: str
    role: str

    @property
    def city(self) -> str:
        return self.tz.rsplit("/", 1)[-1].replace("_", " ")


@dataclass
class Transcript:
    """Collects the story as lines; `compact` shows one line per message (fast-forwarded weeks)."""

    people: list[Person]
    out: TextIO = field(default_factory=lambda: sys.stdout)
    compact: bool = False
    channels: dict[str, str] = field(default_factory=dict)  # channel id → how it is shown
    lines: list[str] = field(default_factory=list)
    # The same story as data, for the web page (`tandem demo --html`).
    story: Story = field(default_factory=Story)
    _last_time: datetime | None = None

    @property
    def names(self) -> dict[str, str]:
        return {p.user_id: p.name for p in self.people} | {
            c: label for c, label in self.channels.items() if label.startswith("#")
        }

    def write(self, line: str = "") -> None:
        self.lines.append(line)
        print(line, file=self.out, flush=True)

    def chapter(self, title: str) -> None:
        """An act of the story begins."""
        if self.lines:
            self.write()
        self.write(title)
        self.story.chapter(title)

    def at(self, now: datetime) -> None:
        """A heading when the time moved: UTC, then each person's own clock."""
        self.story.now = now
        if self._last_time == now:
            return
        self._last_time = now
        local = " · ".join(
            f"{p.name} {now.astimezone(ZoneInfo(p.tz)):%a %H:%M} {p.city}" for p in self.people
        )
        self.write()
        self.write(f"━━━ {now:%a %d %b %Y, %H:%M} UTC ━━━  ({local})")

    def local(self, user_id: str | None, instant: datetime) -> str:
        """`instant` on `user_id`'s clock (UTC for a conversation)."""
        for p in self.people:
            if p.user_id == user_id:
                return f"{instant.astimezone(ZoneInfo(p.tz)):%a %d %b %H:%M} {p.name}'s time"
        return f"{instant:%a %d %b %H:%M} UTC"

    def note(self, text: str) -> None:
        """A line from the narrator (what time it is in the story, what is about to happen)."""
        self.write(f"  ⟫ {text}")
        if self.story.now is not None:
            self.story.add(Card(NOTE, self.story.now, (), "", text=text))

    def aside(self, text: str, people: tuple[str, ...]) -> None:
        """What happened out of sight (a message held for quiet hours), told to `people`."""
        self.write(f"      {text}")
        if self.story.now is not None:
            self.story.add(Card(NOTE, self.story.now, people, "", text=text))

    def act(self, person: Person, what: str) -> None:
        """Someone does something in Slack."""
        self.write(f"  ▶ {person.name} ({person.role}) {what}")
        if self.story.now is not None:
            card = Card(ACTION, self.story.now, (person.user_id,), "", text=what)
            card.actor = person.user_id
            self.story.add(card)

    def where(self, channel: str) -> str:
        """How a conversation is named: someone's DM with Tandem, the pair's group DM, #name."""
        for p in self.people:
            if channel == p.user_id:
                return f"DM to {p.name}"
        return self.channels.get(channel, channel)

    def show(self, heading: str, lines: list[str]) -> None:
        """A message or view body, indented under its heading (one line when compact)."""
        if self.compact:
            first = next((line for line in lines if line.strip("─= ") == line), "")
            first = lines[0] if not first and lines else first
            self.write(f"      {heading}: {first[:110]}")
            return
        self.write(f"      {heading}:")
        for line in lines:
            self.write(f"        │ {line}")

    def reply(self, person: Person, body: Mapping[str, Any] | None) -> None:
        """What the slash command or click answered at once (ephemeral, or a modal change)."""
        if not body:
            return
        self.story.record_reply(person.user_id, dict(body))
        if body.get("response_action") == "errors":
            errors = "; ".join(f"{k}: {v}" for k, v in body.get("errors", {}).items())
            self.write(f"      ⚠ the form says: {errors}")
        elif body.get("response_action") in ("update", "push") and body.get("view"):
            self.show(f"{person.name}'s modal now shows", view_lines(body["view"], self.names))
        elif body.get("text") or body.get("blocks"):
            lines = message_lines(body.get("text"), body.get("blocks"), self.names)
            self.show(f"only {person.name} sees", lines)

    def call(self, call: Call, actor: Person | None) -> None:
        """One Web API call Tandem made, as what someone saw."""
        if call.method in _SILENT:
            return
        channel = str(call.args.get("channel") or "")
        self.story.record_call(call, actor.user_id if actor else None, self.where(channel))
        if not call.response.get("ok", True):
            self.write(f"      ✗ Slack refused {call.method}: {call.response.get('error')}")
            return
        args, names = call.args, self.names
        if call.method == "chat.postMessage":
            lines = message_lines(args.get("text"), _blocks(args), names)
            self.show(f"✉ {self.where(str(args.get('channel')))}", lines)
        elif call.method == "chat.update":
            lines = message_lines(args.get("text"), _blocks(args), names)
            self.show(f"✎ message updated in {self.where(str(args.get('channel')))}", lines)
        elif call.method == "chat.postEphemeral":
            who = self.where(str(args.get("user")))
            lines = message_lines(args.get("text"), _blocks(args), names)
            self.show(f"only {who.removeprefix('DM to ')} sees", lines)
        elif call.method == "response_url":
            lines = message_lines(args.get("text"), _blocks(args), names)
            who = actor.name if actor else "the clicker"
            if args.get("replace_original") or args.get("delete_original"):
                self.show(f"✎ {who}'s message changes", lines)
            else:
                self.show(f"only {who} sees", lines)
        elif call.method in ("views.open", "views.push", "views.update"):
            view = args.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            verb = {"views.open": "opens", "views.push": "opens", "views.update": "updates"}
            who = actor.name if actor else "someone"
            self.show(f"▢ a modal {verb[call.method]} for {who}", view_lines(view or {}, names))
        elif call.method == "views.publish":
            view = _json_view(args.get("view"))
            who = self.where(str(args.get("user_id"))).removeprefix("DM to ")
            self.show(f"⌂ {who}'s Home tab", view_lines(view, names))
        elif call.method.startswith("files."):
            if call.method == "files.completeUploadExternal":
                self.write("      📎 a file is shared")
        else:
            self.write(f"      · {call.method}")


def _json_view(view: Any) -> dict[str, Any]:
    return json.loads(view) if isinstance(view, str) else dict(view or {})


def _blocks(args: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    blocks = args.get("blocks")
    if isinstance(blocks, str):
        return json.loads(blocks)
    return blocks

"""The demo's story as data, for `tandem demo --html`: acts, and in each the cards people saw
(messages, ephemerals, modals, Home tabs) or did, each with its time and who could see it."""

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from devkit.emulator import Call

ACTION, NOTE, MESSAGE, EPHEMERAL, MODAL, FORM_ERRORS, FILE = (
    "action",
    "note",
    "message",
    "ephemeral",
    "modal",
    "errors",
    "file",
)


@dataclass
class Card:
    """One moment: someone did something, or saw something."""

    kind: str
    at: datetime
    people: tuple[str, ...]  # user ids who see it; () means everyone (a public channel)
    where: str  # "DM to Noah", "group DM (Maya + Noah + Tandem)", "#celebrations", ""
    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    view: dict[str, Any] | None = None
    actor: str | None = None  # the person acting (actions), by user id
    edited: bool = False
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Act:
    """A chapter of the story."""

    title: str
    cards: list[Card] = field(default_factory=list)


@dataclass
class Story:
    """Everything the page shows, in order."""

    acts: list[Act] = field(default_factory=list)
    homes: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id → last Home view
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # channel → who is in it
    now: datetime | None = None

    def chapter(self, title: str) -> None:
        self.acts.append(Act(title))

    def add(self, card: Card) -> None:
        if not self.acts:
            self.chapter("Prologue")
        self.acts[-1].cards.append(card)

    def audience(self, channel: str) -> tuple[str, ...]:
        """Who sees a post in `channel` (a user id means their DM with Tandem)."""
        if channel[:1] in ("U", "W"):
            return (channel,)
        return self.members.get(channel, ())

    def record_call(self, call: Call, actor: str | None, where: str) -> None:
        """A Web API call Tandem made, as a card (calls nobody sees are left out)."""
        if not call.response.get("ok", True) or self.now is None:
            return
        args = call.args
        if call.method == "views.publish":
            view = _json(args.get("view"))
            if isinstance(view, dict):
                self.homes[str(args.get("user_id"))] = view
            return
        if call.method in ("chat.postMessage", "chat.update"):
            channel = str(args.get("channel"))
            self.add(
                Card(
                    MESSAGE,
                    self.now,
                    self.audience(channel),
                    where,
                    text=str(args.get("text") or ""),
                    blocks=_json(args.get("blocks")),
                    edited=call.method == "chat.update",
                )
            )
        elif call.method in ("chat.postEphemeral", "response_url"):
            user = str(args.get("user") or actor or "")
            replaced = bool(args.get("replace_original"))
            self.add(
                Card(
                    MESSAGE if replaced else EPHEMERAL,
                    self.now,
                    (user,) if user else (),
                    where,
                    text=str(args.get("text") or ""),
                    blocks=_json(args.get("blocks")),
                    edited=replaced,
                )
            )
        elif call.method in ("views.open", "views.push", "views.update"):
            view = _json(args.get("view"))
            self.add(Card(MODAL, self.now, (actor,) if actor else (), "", view=view, actor=actor))
        elif call.method == "files.completeUploadExternal":
            self.add(Card(FILE, self.now, (), where, text="a file is shared"))

    def record_reply(self, user_id: str, body: dict[str, Any]) -> None:
        """What a command or click answered at once: an ephemeral, a modal change, errors."""
        if self.now is None:
            return
        if body.get("response_action") == "errors":
            self.add(
                Card(FORM_ERRORS, self.now, (user_id,), "", errors=dict(body.get("errors", {})))
            )
        elif body.get("response_action") in ("update", "push") and body.get("view"):
            self.add(Card(MODAL, self.now, (user_id,), "", view=copy.deepcopy(body["view"])))
        elif body.get("text") or body.get("blocks"):
            self.add(
                Card(
                    EPHEMERAL,
                    self.now,
                    (user_id,),
                    "",
                    text=str(body.get("text") or ""),
                    blocks=_json(body.get("blocks")),
                )
            )


def _json(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        return json.loads(value)
    return copy.deepcopy(value)

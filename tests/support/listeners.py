"""What the Bolt app listens to, read from the app itself, so tests cover a new listener
without anyone remembering to add it.

Bolt keeps no public list of its listeners' ids: each matcher is a closure over the id (or
pattern) it was registered with, and that is what is read here. A matcher of another shape
fails `registered_listeners` loudly rather than being skipped.
"""

import re
from dataclasses import dataclass
from typing import Literal

from slack_bolt import App

from handlers.commands.tandem import subcommand_handlers

Kind = Literal["command", "action", "view_submission", "event", "shortcut"]
_KINDS: dict[str, Kind] = {
    "command": "command",
    "action": "action",
    "block_action": "action",
    "view_submission": "view_submission",
    "view": "view_submission",
    "event": "event",
    "shortcut": "shortcut",
}


@dataclass(frozen=True)
class Listener:
    """One registered listener: its kind and the id (or pattern of ids) it answers."""

    kind: Kind
    id: str | re.Pattern[str]

    def example_ids(self) -> list[str]:
        """Ids this listener answers: itself, or for a pattern, a few that match it."""
        if isinstance(self.id, str):
            return [self.id]
        candidates = ("1", "7", "12345", "999999999999999999")
        base = self.id.pattern.strip("^$").replace("\\.", ".").replace("\\d+", "{n}")
        base = re.sub(r"\(([^()]*)\)\?", r"\1", base)  # make optional groups present
        found = [
            base.replace("[a-z_]+", word).replace("[a-z]+", word).replace("{n}", n)
            for n in candidates
            for word in ("mentor", "mentee")
        ]
        matching = [i for i in dict.fromkeys(found) if self.id.fullmatch(i)]
        assert matching, f"cannot make an id matching {self.id.pattern}"
        return matching


def registered_listeners(app: App) -> list[Listener]:
    """Every listener the app registered, in registration order."""
    listeners = []
    for listener in app._listeners:  # no public accessor in Bolt
        for matcher in listener.matchers:
            func = getattr(matcher, "func", None)
            owner = func.__qualname__.split(".")[0] if func else ""
            kind = _KINDS.get(owner)
            cells = [c.cell_contents for c in (func.__closure__ or [])] if func else []
            ids = [c for c in cells if isinstance(c, str | re.Pattern)]
            if kind is None or len(ids) != 1:
                raise AssertionError(f"a listener matcher this helper can't read: {owner} {cells}")
            listeners.append(Listener(kind, ids[0]))
    return listeners


def registered_subcommands() -> list[str]:
    """Every `/tandem` subcommand that has a handler."""
    return sorted(subcommand_handlers())

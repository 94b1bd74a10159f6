"""A small programme to attack: pair A (whose data must stay theirs), pair B beside it, and
every modal the app can show, opened once so its blocks can be filled in (or garbled).

Pair A is made first, so every first row (pair, charter version, goal, milestone, meeting,
feedback...) is pair A's and has id 1: a value of "1" aims at pair A whatever a button expects.
"""

import json
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import SQLModel

from bot.goals.blocks.messages import COMPLETE_ACTION
from tests.reliability.flows import create_goal
from tests.support.factories import DEFAULT_CHARTER, PairRef, create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, Harness

# Seeded in pair A's private content; none may reach anyone outside pair A.
MARK = "ZQX"
A_CHARTER = {
    **DEFAULT_CHARTER,
    "mentee_objectives": f"{MARK}-charter-objective",
    "confidentiality": f"{MARK}-confidential",
}
A_GOAL = f"{MARK}-goal-title"
A_AGENDA = f"{MARK}-agenda-item"


@dataclass
class World:
    """Pair A and pair B, and one example of every modal seen while setting them up."""

    tandem: Harness
    a: PairRef
    b: PairRef
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # callback_id → view


def build_world(tandem: Harness) -> World:
    """Pair A (MENTOR, MENTEE) with a goal, agenda and meetings; pair B (MENTOR, OTHER_MENTEE)."""
    tandem.stop_delivery()
    a = create_active_pair(tandem, charter=A_CHARTER)
    tandem.run_due()  # the meeting series from the charter
    b = create_active_pair(tandem, mentee=OTHER_MENTEE)
    tandem.run_due()
    create_goal(tandem, MENTEE, A_GOAL)
    assert "Added" in tandem.slack.command(MENTEE, f"agenda {A_AGENDA}").json["text"]
    world = World(tandem, a, b)
    for user, text in [
        (MENTEE, "charter"),
        (MENTOR, "charter"),  # two pairs: the picker
        (MENTEE, "goal"),
        (MENTEE, "update"),
        (MENTEE, "feedback"),
        (MENTEE, "share"),
        (MENTEE, "log"),
        (MENTEE, "reschedule"),
        (MENTEE, "end"),
    ]:
        tandem.slack.command(user, text)
    tandem.slack.click(ADMIN, "admin.open_settings")
    tandem.slack.click(ADMIN, "admin.open_erase")
    for name in ("meeting.settings", "meeting.notes"):
        tandem.slack.click(MENTEE, name, value="1")
    tandem.slack.click(MENTEE, COMPLETE_ACTION, value="1")
    tandem.emulator.wait_for("views.open", count=12)
    settle(tandem)
    for call in tandem.emulator.calls():
        if call.method in ("views.open", "views.push", "views.update") and call.response.get("ok"):
            view = call.response["view"]
            world.views.setdefault(view.get("callback_id") or "", view)
    tandem.emulator.clear_calls()
    return world


def settle(tandem: Harness, quiet: float = 0.3, limit: float = 5.0) -> None:
    """Wait until the listeners have finished, and what they queued is in Slack.

    With the background sender stopped, the listeners' pool knows exactly when it is idle;
    otherwise, until no new Web API call came for `quiet` seconds (the sender may not have
    woken yet).
    """
    tandem.settle_listeners()
    if not tandem.delivering:
        return
    deadline = time.monotonic() + limit
    seen = -1
    while time.monotonic() < deadline:
        count = len(tandem.emulator.calls())
        if count == seen:
            return
        seen = count
        time.sleep(quiet)


def filled_state(view: dict[str, Any] | None, text: str) -> dict[str, Any]:
    """`view.state` as a person filling in every input would send it (`text` in text boxes)."""
    values: dict[str, Any] = {}
    for block in (view or {}).get("blocks") or []:
        element = block.get("element")
        if block.get("type") != "input" or not element:
            continue
        values[block["block_id"]] = {element["action_id"]: filled_element(element, text)}
    return {"values": values}


def filled_element(element: dict[str, Any], text: str) -> dict[str, Any]:
    """One input's state, filled plausibly."""
    kind = element["type"]
    options = element.get("options") or []
    if kind in ("static_select", "radio_buttons") and options:
        return {"type": kind, "selected_option": options[0]}
    if kind in ("checkboxes", "multi_static_select"):
        return {"type": kind, "selected_options": options}
    if kind == "datepicker":
        return {"type": kind, "selected_date": "2026-03-20"}
    if kind == "timepicker":
        return {"type": kind, "selected_time": "10:00"}
    if kind == "users_select":
        return {"type": kind, "selected_user": MENTEE}
    if kind in ("conversations_select", "channels_select"):
        return {"type": kind, "selected_conversation": "CCELEBRATE"}
    if kind == "number_input":
        return {"type": kind, "value": "50"}
    return {"type": kind, "value": text}


AIMED_AT_A = json.dumps(
    {
        "pair": 1,
        "pair_id": 1,
        "goal": 1,
        "meeting": 1,
        "feedback": 1,
        "review": 1,
        "version_id": 1,
        "change": "drop",
        "done": [1],
        "next": "history",
        "channel": "D1",
        "ts": "1.1",
    }
)


def owned_rows(tandem: Harness, pair_id: int) -> dict[str, list[tuple]]:
    """Every row that belongs to the pair: found by following foreign keys from it."""
    tables = {t.name: t for t in SQLModel.metadata.sorted_tables}
    owned: dict[str, set] = {"pair": {pair_id}}
    rows: dict[str, list[tuple]] = {}
    with tandem.session() as session:
        changed = True
        while changed:
            changed = False
            for table in tables.values():
                keys = _owned_keys(session, table, owned)
                if keys - owned.get(table.name, set()):
                    owned.setdefault(table.name, set()).update(keys)
                    changed = True
        for name, keys in owned.items():
            table = tables[name]
            pk = list(table.primary_key.columns)[0]
            found = session.execute(select(table).where(pk.in_(keys))).all()
            rows[name] = sorted((tuple(r) for r in found), key=repr)
        workspace = tables["workspace"]
        query = select(workspace).where(workspace.c.team_id == tandem.team_id)
        rows["workspace"] = [tuple(r) for r in session.execute(query).all()]
    return rows


def _owned_keys(session: Any, table: Table, owned: dict[str, set]) -> set:
    if len(table.primary_key.columns) != 1:
        return set()
    pk = list(table.primary_key.columns)[0]
    keys: set = set()
    for column in table.columns:
        for fk in column.foreign_keys:
            parent = fk.column.table.name
            if parent in owned and parent not in ("person", "workspace"):
                query = select(pk).where(column.in_(owned[parent]))
                keys.update(session.execute(query).scalars())
    return keys

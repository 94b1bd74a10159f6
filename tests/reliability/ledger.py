"""What the two-workspace matrix (tests/reliability/test_workspaces.py) reads back: every row of
every table by workspace, rows pointing across workspaces, people stored where they are not
members, and what each workspace's people were shown (the values their buttons carried)."""

import json
from typing import Any

from sqlalchemy import func, select
from sqlmodel import SQLModel

from devkit.emulator import SlackEmulator
from tests.support.harness import Harness

# Bookkeeping every request leaves, whoever sends it: the memory of applied requests.
BOOKKEEPING = {"applied_request", "processed_event"}
# Metadata a crafted submission carries: the first rows of the aimed-at workspace.
_FIRST = {"pair": "pair", "pair_id": "pair", "goal": "goal", "meeting": "meeting"}
_FIRST |= {"feedback": "feedback", "review": "review", "version_id": "charter_version"}


def rows_by_team(tandem: Harness, teams: tuple[str, ...]) -> dict[tuple[str, str], list[tuple]]:
    """Every row of every table, by (table, workspace): one query a table."""
    rows: dict[tuple[str, str], list[tuple]] = {}
    with tandem.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            found = session.execute(select(table)).all()
            for team in teams:
                mine = (tuple(r) for r in found if r.team_id == team)
                rows[(table.name, team)] = sorted(mine, key=repr)
            others = {r.team_id for r in found} - set(teams)
            assert not others, (table.name, others)  # no row of a third workspace appeared
    return rows


def cross_references(tandem: Harness) -> list[str]:
    """Rows of one workspace pointing at a row of another (a person, a pair, a cohort...)."""
    found = []
    with tandem.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                for key in column.foreign_keys:
                    if key.column.table.name == "workspace":
                        continue
                    parent = key.column.table.alias("parent")  # a pair may point at a pair
                    query = (
                        select(table.c.team_id, parent.c.team_id)
                        .join(parent, column == parent.c[key.column.name])
                        .where(table.c.team_id != parent.c.team_id)
                    )
                    for row in session.execute(query).all():
                        found.append(f"{table.name}.{column.name}: {row[0]} → {row[1]}")
    return found


def stored_strangers(tandem: Harness, members: dict[str, set[str]]) -> list[tuple[str, str]]:
    """People stored in a workspace they are not members of."""
    person = SQLModel.metadata.tables["person"]
    with tandem.session() as session:
        stored = session.execute(select(person.c.team_id, person.c.user_id)).all()
    return [(team, user) for team, user in stored if user not in members.get(team, {user})]


def changed_tables(before: dict, after: dict, team: str) -> dict[str, int]:
    """Tables of `team` whose rows changed (bookkeeping aside), with their row counts after."""
    return {
        table: len(after[(table, t)])
        for (table, t) in before
        if t == team and table not in BOOKKEEPING and before[(table, t)] != after[(table, t)]
    }


def changes(before: dict, after: dict, team: str) -> list:
    """What changed in `team`'s tables (to show when a check fails)."""
    return [
        (table, sorted(set(map(repr, before[(table, t)])) ^ set(map(repr, after[(table, t)])))[:4])
        for (table, t) in before
        if t == team and table not in BOOKKEEPING and before[(table, t)] != after[(table, t)]
    ]


def aimed_at(tandem: Harness, team: str) -> str:
    """Modal metadata naming `team`'s first pair, goal, meeting, feedback... by their ids."""
    tables = SQLModel.metadata.tables
    aimed: dict[str, Any] = {"change": "drop", "next": "history", "channel": "D1", "ts": "1.1"}
    with tandem.session() as session:
        for key, name in _FIRST.items():
            table = tables[name]
            query = select(func.min(table.c.id)).where(table.c.team_id == team)
            aimed[key] = session.execute(query).scalar() or 1
    aimed["done"] = [aimed["goal"]]
    return json.dumps(aimed)


def shown_to(emulator: SlackEmulator, people: set[str]) -> list[dict[str, Any]]:
    """Messages only `people` can read (their DMs with the app, their group DMs)."""
    ws = emulator._ws  # the emulator's own record of who is in which conversation
    mine = []
    for message in emulator.messages():
        channel = message["channel"]
        conversation = ws.conversations.get(channel)
        if conversation is None:
            readers = {channel}  # a user id: the app's DM with them
        elif conversation.is_im:
            readers = {conversation.im_user}
        else:  # a group DM (a public channel has no members listed: everyone)
            readers = set(conversation.members or ["anyone"]) - {emulator.bot_user_id}
        if readers <= people:
            mine.append(message)
    return mine


def views_of(emulator: SlackEmulator, people: set[str]) -> dict[str, dict[str, Any]]:
    """One modal of each kind opened for `people` (by callback id), from the calls recorded."""
    ws, views = emulator._ws, {}
    for call in emulator.calls():
        if call.method in ("views.open", "views.push") and call.response.get("ok"):
            view = call.response["view"]
            if ws.view_owner.get(view.get("id")) in people:
                views.setdefault(view.get("callback_id") or "", view)
    return views


def harvested_values(
    messages: list[dict[str, Any]], views: list[dict[str, Any]]
) -> dict[str, list]:
    """Every action id's values in `messages` and `views` (ids, page values, outbox keys)."""
    found: dict[str, list] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            action_id, value = node.get("action_id"), node.get("value")
            if isinstance(action_id, str) and isinstance(value, str):
                found.setdefault(action_id, [])
                if value not in found[action_id]:
                    found[action_id].append(value)
            for option in node.get("options") or []:
                if isinstance(action_id, str) and isinstance(option, dict):
                    found.setdefault(action_id, []).append(option.get("value"))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk([message.get("blocks") for message in messages])
    walk([view.get("blocks") for view in views])
    return found

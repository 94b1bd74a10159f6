"""Two OAuth workspaces on one Tandem never mix (issue 20 §4).

Workspace A holds the programme of tests.reliability.world (pairs, a charter, a goal, agenda,
meetings, with A's private content marked); workspace B, a second installation with its own
token, its own admin and its own pair. Each then gets, through its own people's flows, content
of every other kind (tests.reliability.tenants): topics, a cohort, join profiles with notes, a
matching round and its proposal, feedback for the partner and for the programme only, shared
and private meeting notes. B's people then try every subcommand, button and modal
with A's real ids (button values, page values and metadata harvested from what A's people were
shown), in the shapes Slack really sends:

* ordinary: B's member or admin in B (team.id = user.team_id = B, B's token);
* Slack Connect: a modal opened in A submitted or clicked by B's people
  (view.app_installed_team_id = A while team.id = B: Bolt picks A's token);
* a shared channel: B's people clicking or running commands in A's channel
  (team.id = A while user.team_id = B).

Every table of both workspaces is compared row by row before and after: nothing of A is read
or changed, no stranger is stored as one of a workspace's people, no row of one workspace
points at another's, and no stranger changes anything of either.
"""

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from bot.app import build_app
from devkit.emulator import Response, SlackDriver, SlackEmulator
from tests.reliability.faults import backend
from tests.reliability.flows import create_goal
from tests.reliability.observe import errors, report
from tests.reliability.tenants import Staff, add_joiners, missing_content, seed_programme
from tests.reliability.test_authorisation import ARGS, DEFAULT_ARGS, readable
from tests.reliability.world import AIMED_AT_A, MARK, build_world, filled_state, settle
from tests.support.factories import DEFAULT_CHARTER, create_active_pair
from tests.support.harness import (
    ADMIN,
    BOT_TOKEN,
    MENTEE,
    MENTOR,
    OTHER_MENTEE,
    SIGNING_SECRET,
    TEAM_ID,
    Harness,
    running_tandem,
)
from tests.support.listeners import registered_listeners, registered_subcommands
from tests.test_oauth import OAUTH, install

A, B = TEAM_ID, "T0BBBBBBB"
B_TOKEN = "xoxb-workspace-b"
B_ADMIN, B_MENTOR, B_MENTEE = "UBADMIN01", "UBMENTOR1", "UBMENTEE1"
B_MARK = "QJW"  # in B's private content: it may reach only B's own people, in B
A_STAFF = Staff(A, ADMIN, MENTOR, MENTEE, ("UAJOINER1", "UAJOINER2"), MARK)
B_STAFF = Staff(B, B_ADMIN, B_MENTOR, B_MENTEE, ("UBJOINER1", "UBJOINER2"), B_MARK)
A_PEOPLE = (MENTOR, MENTEE, OTHER_MENTEE, ADMIN, *A_STAFF.joiners)
# Bookkeeping every request leaves, whoever sends it: the memory of applied requests.
BOOKKEEPING = {"applied_request", "processed_event"}


@dataclass
class WorkspaceB(Harness):
    """The harness acting in workspace B (its driver signs B's payloads)."""

    @property
    def team_id(self) -> str:
        return B


@pytest.fixture
def two(database_url: str, emulator: SlackEmulator) -> Iterator[tuple[Harness, WorkspaceB]]:
    """Tandem under OAuth installed in A (the emulator's token) and in B (its own token)."""
    emulator.add_team_token(B, B_TOKEN)
    for user_id, name, admin in ((B_ADMIN, "bea", True), (B_MENTOR, "bo", False)):
        emulator.add_user(user_id, name, is_admin=admin, team_id=B, tz="Europe/Paris")
    emulator.add_user(B_MENTEE, "bim", team_id=B, tz="Europe/Paris")
    for a in running_tandem(database_url, emulator, **OAUTH):
        for staff in (A_STAFF, B_STAFF):
            add_joiners(a, staff)
        install(a, A, BOT_TOKEN)
        install(a, B, B_TOKEN)
        driver = SlackDriver(a.app_url, SIGNING_SECRET, emulator, team_id=B)
        yield a, WorkspaceB(a.ctx, emulator, driver, a.clock, a.app_url)


@dataclass(frozen=True)
class Actor:
    """Someone of B, sending requests in one shape."""

    name: str
    user_id: str
    shape: str  # "ordinary", "slack connect" or "shared channel"


STRANGERS = [  # requests received by A's installation, sent by B's people
    Actor("B's member, Slack Connect", B_MENTEE, "slack connect"),
    Actor("B's admin, Slack Connect", B_ADMIN, "slack connect"),
    Actor("B's member in A's shared channel", B_MENTEE, "shared channel"),
    Actor("B's admin in A's shared channel", B_ADMIN, "shared channel"),
]
B_MEMBER = Actor("B's member in B", B_MENTEE, "ordinary")
B_ADMIN_ACTOR = Actor("B's admin in B", B_ADMIN, "ordinary")


def harvested_values(emulator: SlackEmulator, views: list[dict[str, Any]]) -> dict[str, list]:
    """Every action id's values A's people were shown (ids, page values, outbox keys)."""
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

    walk([message.get("blocks") for message in emulator.messages()])
    walk([view.get("blocks") for view in views])
    return found


class SharedChannelDriver(SlackDriver):
    """Requests received by A's installation from B's people (team.id = A, user.team_id = B)."""

    def _user(self, user_id: str) -> dict[str, str]:
        return {**super()._user(user_id), "team_id": B}


def attempts(
    a: Harness, actor: Actor, views: dict[str, dict], values: dict[str, list]
) -> Iterator[tuple[str, Response]]:
    """Every subcommand, button and modal tried once (a button once per value of A's) by
    `actor`, aimed at A's real ids."""
    if actor.shape == "shared channel":
        driver: SlackDriver = SharedChannelDriver(a.app_url, SIGNING_SECRET, a.emulator, A)
    else:  # B's payloads; under Slack Connect about a modal A's installation opened
        driver = SlackDriver(a.app_url, SIGNING_SECRET, a.emulator, team_id=B)
    installed = B if actor.shape == "ordinary" else A  # who opened the modal
    modal = {"app_installed_team_id": installed, "team_id": installed}
    if actor.shape != "slack connect":  # a command is received by the channel's workspace
        for sub in registered_subcommands():
            text = f"{sub} {ARGS.get(sub, DEFAULT_ARGS)}"
            yield f"/tandem {text}", driver.command(actor.user_id, text)
    for listener in registered_listeners(build_app(a.ctx)):
        if listener.kind == "action":
            action_id = listener.example_ids()[0]
            for value in ["1", "1:1", "1:0", *values.get(action_id, [])[:3]]:
                action = {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "action_ts": "1.1",
                    "selected_option": {"value": value},
                }
                in_modal = {"view": {"id": "VA", "type": "modal", "blocks": [], **modal}}
                extra = in_modal if actor.shape == "slack connect" else {}
                yield f"{action_id}={value}", driver.click_crafted(actor.user_id, action, **extra)
        elif listener.kind == "view_submission":
            callback = str(listener.id)
            view = views.get(callback) or {
                "id": "VA",
                "type": "modal",
                "callback_id": callback,
                "blocks": [],
            }
            state = filled_state(view, f"intruder {A}")
            crafted = {**modal, "private_metadata": AIMED_AT_A}
            yield callback, driver.submit_crafted(actor.user_id, view, state, **crafted)


def rows_by_team(tandem: Harness) -> dict[tuple[str, str], list[tuple]]:
    """Every row of every table, by (table, workspace): one query a table."""
    rows: dict[tuple[str, str], list[tuple]] = {}
    with tandem.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            found = session.execute(select(table)).all()
            for team in (A, B):
                mine = (tuple(r) for r in found if r.team_id == team)
                rows[(table.name, team)] = sorted(mine, key=repr)
            others = {r.team_id for r in found} - {A, B}
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


def stored_strangers(tandem: Harness) -> list[tuple[str, str]]:
    """People stored in a workspace they are not members of."""
    members = {A: set(A_PEOPLE), B: {B_ADMIN, B_MENTOR, B_MENTEE, *B_STAFF.joiners}}
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


# About 1,500 signed requests and a full-table comparison, after seeding two programmes: well
# under pytest-timeout's default of 120 s on a quiet machine, not on a loaded two-core one.
@pytest.mark.timeout(360)
def test_workspaces_never_mix(
    two: tuple[Harness, WorkspaceB], caplog: pytest.LogCaptureFixture
) -> None:
    a, b = two
    caplog.set_level(logging.INFO)
    world = build_world(a)  # A's programme; ids 1 are A's
    b_pair = create_active_pair(
        b, mentor=B_MENTOR, mentee=B_MENTEE, charter={**DEFAULT_CHARTER, "cadence": "weekly"}
    )
    b.run_due()
    create_goal(b, B_MENTEE, f"{B_MARK}-goal")
    assert "Added" in b.slack.command(B_MENTEE, f"agenda {B_MARK}-agenda").json["text"]
    seed_programme(a, A_STAFF)
    settle(a)
    for call in a.emulator.calls():  # A's modals seen while seeding: cohort, join, log...
        if call.method in ("views.open", "views.push") and call.response.get("ok"):
            view = call.response["view"]
            world.views.setdefault(view.get("callback_id") or "", view)
    seed_programme(b, B_STAFF)
    a.run_due()  # proposals and feedback delivered: their buttons are among A's values
    settle(a)
    assert missing_content(a, (A, B)) == []
    values = harvested_values(a.emulator, list(world.views.values()))
    a.emulator.clear_calls()
    before = rows_by_team(a)
    assert before[("pair", A)] and before[("pair", B)] and b_pair.pair_id not in (1, 2)
    seeded = json.dumps(list(before.values()), default=str)
    assert MARK in seeded and B_MARK in seeded
    files_before = len(a.emulator.files())

    total, leaks, unreadable = 0, [], []

    def run(actors: list[Actor]) -> None:
        nonlocal total
        for actor in actors:
            seen = len(a.emulator.calls())
            for what, response in attempts(a, actor, world.views, values):
                total += 1
                # Listeners answer after their ack: a call made later is counted against
                # a later attempt of the same actor (the settle below closes each actor's
                # account), so no call goes unchecked for its actor's marks.
                calls = a.emulator.calls()[seen:]
                seen += len(calls)
                marks = (MARK,) if actor.shape == "ordinary" else (MARK, B_MARK)
                for mark in marks:
                    where = [c.method for c in calls if mark in json.dumps(c.args, default=str)]
                    if where or mark in response.body:
                        leaks.append((actor.name, what, mark, where))
                if not readable(response):
                    unreadable.append((actor.name, what, response.status, response.body[:200]))
            settle(a, quiet=0.2)
            calls = a.emulator.calls()[seen:]
            marks = (MARK,) if actor.shape == "ordinary" else (MARK, B_MARK)
            for mark in marks:
                where = [c.method for c in calls if mark in json.dumps(c.args, default=str)]
                if where:
                    leaks.append((actor.name, "after its last attempt", mark, where))

    run(STRANGERS)  # nobody here may change anything of A or of B
    settle(a)
    middle = rows_by_team(a)
    nobody_changed = {
        team: changed_tables(before, middle, team) for team in (A, B) if before != middle
    }
    run([B_MEMBER, B_ADMIN_ACTOR])  # B's people may change B (their own things), never A
    settle(a)
    after = rows_by_team(a)
    exported = [f.content or b"" for f in a.emulator.files()[files_before:]]
    leaks += [
        ("export", "A's person in a file", p) for f in exported for p in A_PEOPLE if p.encode() in f
    ]
    crossed, strangers = cross_references(a), stored_strangers(a)
    changes_a = changed_tables(before, after, A)
    database = backend(a.ctx.settings.database_url)
    report(
        f"two OAuth workspaces, Slack Connect and shared channels [{database}]",
        attempts=total,
        tables_checked=len(before),
        leaks=len(leaks) + len(crossed) + len(strangers),
        changes=len(changes_a) + sum(len(c) for c in nobody_changed.values()),
    )
    assert leaks == [], leaks[:20]
    assert crossed == [] and strangers == [], (crossed, strangers)
    assert changes_a == {}, _changes(before, after, A)
    assert all(not changed for changed in nobody_changed.values()), [
        _changes(before, middle, team) for team in nobody_changed
    ]
    assert unreadable == [], unreadable[:20]
    assert errors(caplog) == [], [r.getMessage() for r in errors(caplog)][:10]


def _changes(before: dict, after: dict, team: str) -> list:
    """What changed in `team`'s tables (to show when a check fails)."""
    return [
        (table, sorted(set(map(repr, before[(table, t)])) ^ set(map(repr, after[(table, t)])))[:4])
        for (table, t) in before
        if t == team and table not in BOOKKEEPING and before[(table, t)] != after[(table, t)]
    ]

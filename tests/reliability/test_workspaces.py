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
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest

from bot.app import build_app
from devkit.emulator import Response, SlackDriver, SlackEmulator
from tests.reliability.faults import backend
from tests.reliability.flows import create_goal
from tests.reliability.ledger import (
    aimed_at,
    changed_tables,
    changes,
    cross_references,
    harvested_values,
    rows_by_team,
    shown_to,
    stored_strangers,
    views_of,
)
from tests.reliability.observe import errors, report
from tests.reliability.tenants import Staff, add_joiners, missing_content, seed_programme
from tests.reliability.test_authorisation import ARGS, DEFAULT_ARGS, readable
from tests.reliability.world import MARK, build_world, filled_state, settle
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
B_PEOPLE = (B_ADMIN, B_MENTOR, B_MENTEE, *B_STAFF.joiners)
MARKS = {A: MARK, B: B_MARK}


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
    """Someone of `home`, sending requests in one shape, aimed at the other workspace."""

    name: str
    user_id: str
    shape: str  # "ordinary", "slack connect" or "shared channel"
    home: str

    @property
    def target(self) -> str:
        """The other workspace, whose ids this actor tries."""
        return A if self.home == B else B

    @property
    def marks(self) -> tuple[str, ...]:
        """Marks this actor must never be shown: the other workspace's; in a stranger's
        shape, its own workspace's too (no installation may show them its own content)."""
        other = MARKS[self.target]
        return (other,) if self.shape == "ordinary" else (MARK, B_MARK)


def _shapes(team: str, who: str, member: str, admin: str) -> list[Actor]:
    other = "B" if who == "A" else "A"
    return [
        Actor(f"{who}'s member, Slack Connect", member, "slack connect", team),
        Actor(f"{who}'s admin, Slack Connect", admin, "slack connect", team),
        Actor(f"{who}'s member in {other}'s shared channel", member, "shared channel", team),
        Actor(f"{who}'s admin in {other}'s shared channel", admin, "shared channel", team),
    ]


# Requests received by the other workspace's installation: they may change nothing at all.
STRANGERS = _shapes(B, "B", B_MENTEE, B_ADMIN) + _shapes(A, "A", MENTEE, ADMIN)
B_ORDINARY = [
    Actor("B's member in B", B_MENTEE, "ordinary", B),
    Actor("B's admin in B", B_ADMIN, "ordinary", B),
]
A_ORDINARY = [
    Actor("A's member in A", MENTEE, "ordinary", A),
    Actor("A's admin in A", ADMIN, "ordinary", A),
]


class SharedChannelDriver(SlackDriver):
    """Requests received by the channel's installation (team.id) from a member of another
    workspace (user.team_id)."""

    def __init__(self, *args: Any, home: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.home = home

    def _user(self, user_id: str) -> dict[str, str]:
        return {**super()._user(user_id), "team_id": self.home}


@dataclass
class Target:
    """What one workspace's people were shown: its modals, its buttons' values, its ids."""

    views: dict[str, dict]
    values: dict[str, list]
    aimed: str  # crafted modal metadata naming its first rows


# Requests one actor has in flight at once: each spends most of its time waiting (Bolt polls
# for the listener's ack every 10 ms, the app asks Slack's auth.test), so a few at once
# overlap those waits; production's listener pool serves clicks at once the same way.
AT_ONCE = 4


def attempts(
    tandem: Harness, actor: Actor, target: Target
) -> Iterator[tuple[str, Callable[[], Response]]]:
    """Every subcommand, button and modal to try once (a button once per value of the
    target's) by `actor`, aimed at the other workspace's real ids: what, and how to send it."""
    url, emulator = tandem.app_url, tandem.emulator
    if actor.shape == "shared channel":
        driver: SlackDriver = SharedChannelDriver(
            url, SIGNING_SECRET, emulator, team_id=actor.target, home=actor.home
        )
    else:  # the actor's own payloads; under Slack Connect about the target's modal
        driver = SlackDriver(url, SIGNING_SECRET, emulator, team_id=actor.home)
    installed = actor.home if actor.shape == "ordinary" else actor.target  # opened the modal
    modal = {"app_installed_team_id": installed, "team_id": installed}
    if actor.shape != "slack connect":  # a command is received by the channel's workspace
        for sub in registered_subcommands():
            text = f"{sub} {ARGS.get(sub, DEFAULT_ARGS)}"
            yield f"/tandem {text}", partial(driver.command, actor.user_id, text)
    for listener in registered_listeners(build_app(tandem.ctx)):
        if listener.kind == "action":
            action_id = listener.example_ids()[0]
            for value in ["1", "1:1", "1:0", *target.values.get(action_id, [])[:3]]:
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
                click = partial(driver.click_crafted, actor.user_id, action, **extra)
                yield f"{action_id}={value}", click
        elif listener.kind == "view_submission":
            callback = str(listener.id)
            view = target.views.get(callback) or {
                "id": "VA",
                "type": "modal",
                "callback_id": callback,
                "blocks": [],
            }
            state = filled_state(view, f"intruder {actor.target}")
            crafted = {**modal, "private_metadata": target.aimed}
            yield callback, partial(driver.submit_crafted, actor.user_id, view, state, **crafted)


# About 4,000 signed requests (AT_ONCE at a time) and full-table comparisons, after seeding two
# programmes: 22 to 29 s a database on the shared two-core machine, more under a full run.
@pytest.mark.timeout(480)
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
    seed_programme(b, B_STAFF)
    a.run_due()  # proposals and feedback delivered: their buttons are among the values
    settle(a)
    assert missing_content(a, (A, B)) == []
    targets = {}
    for team, people, views in ((A, A_PEOPLE, world.views), (B, B_PEOPLE, {})):
        views = {**views_of(a.emulator, set(people)), **views}
        shown = shown_to(a.emulator, set(people))
        values = harvested_values(shown, list(views.values()))
        targets[team] = Target(views, values, aimed_at(a, team))
    assert all(len(t.values) > 10 and len(t.views) > 5 for t in targets.values()), {
        team: (len(t.values), len(t.views)) for team, t in targets.items()
    }
    a.emulator.clear_calls()
    before = rows_by_team(a, (A, B))
    assert before[("pair", A)] and before[("pair", B)] and b_pair.pair_id not in (1, 2)
    seeded = json.dumps(list(before.values()), default=str)
    assert MARK in seeded and B_MARK in seeded

    total, leaks, unreadable, exported = 0, [], [], []

    def run(actors: list[Actor]) -> None:
        nonlocal total
        for actor in actors:
            seen, files = len(a.emulator.calls()), len(a.emulator.files())
            tried = list(attempts(a, actor, targets[actor.target]))
            with ThreadPoolExecutor(AT_ONCE, thread_name_prefix="attempt") as pool:
                answers = list(pool.map(lambda attempt: attempt[1](), tried))
            for (what, _), response in zip(tried, answers, strict=True):
                total += 1
                for mark in actor.marks:
                    if mark in response.body:
                        leaks.append((actor.name, what, mark, "in its answer"))
                if not readable(response):
                    unreadable.append((actor.name, what, response.status, response.body[:200]))
            # Listeners work on after their ack: every call made from this actor's first
            # attempt until its listeners are idle is this actor's (one actor at a time).
            settle(a)  # the sender is stopped: exactly until the listeners are idle
            calls = a.emulator.calls()[seen:]
            for mark in actor.marks:
                where = [c.method for c in calls if mark in json.dumps(c.args, default=str)]
                if where:
                    leaks.append((actor.name, "its attempts' Slack calls", mark, where))
            others = A_PEOPLE if actor.target == A else B_PEOPLE
            exported.extend(
                (actor.name, "the other's person in a file", person)
                for upload in a.emulator.files()[files:]
                for person in others
                if person.encode() in (upload.content or b"")
            )

    run(STRANGERS)  # nobody here may change anything of A or of B
    middle = rows_by_team(a, (A, B))
    nobody_changed = {team: changed_tables(before, middle, team) for team in (A, B)}
    run(B_ORDINARY)  # B's people may change B (their own things), never A
    after_b = rows_by_team(a, (A, B))
    run(A_ORDINARY)  # and A's people A, never B
    after = rows_by_team(a, (A, B))
    crossed = cross_references(a)
    strangers = stored_strangers(a, {A: set(A_PEOPLE), B: set(B_PEOPLE)})
    changes_a = changed_tables(middle, after_b, A)
    changes_b = changed_tables(after_b, after, B)
    database = backend(a.ctx.settings.database_url)
    report(
        f"two OAuth workspaces, both ways, Slack Connect and shared channels [{database}]",
        attempts=total,
        tables_checked=len(before),
        leaks=len(leaks) + len(exported) + len(crossed) + len(strangers),
        changes=len(changes_a) + len(changes_b) + sum(len(c) for c in nobody_changed.values()),
    )
    assert leaks == [] and exported == [], (leaks[:20], exported)
    assert crossed == [] and strangers == [], (crossed, strangers)
    assert changes_a == {}, changes(middle, after_b, A)
    assert changes_b == {}, changes(after_b, after, B)
    assert all(not changed for changed in nobody_changed.values()), [
        changes(before, middle, team) for team in nobody_changed
    ]
    assert unreadable == [], unreadable[:20]
    assert errors(caplog) == [], [r.getMessage() for r in errors(caplog)][:10]

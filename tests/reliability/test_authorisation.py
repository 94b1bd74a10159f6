"""Who may act on a pair: the matrix of every registered command, button and modal against
everyone who is not in the pair, generated from the app's own listeners.

For each, the attempt aims at pair A (every id "1", metadata naming pair A's pair, goal,
meeting, feedback and review). Afterwards pair A's rows are exactly as before, and pair A's
seeded private content appears in no answer and in no Web API call the emulator recorded.
"""

import json
import logging
from dataclasses import dataclass

import pytest

from bot.app import build_app
from devkit.emulator import Response, SlackDriver
from tests.reliability.observe import errors, report
from tests.reliability.world import AIMED_AT_A, MARK, World, build_world, filled_state, owned_rows
from tests.support.harness import MENTEE, OTHER_MENTEE, OUTSIDER, SIGNING_SECRET, Harness
from tests.support.listeners import registered_listeners, registered_subcommands

OTHER_TEAM = "T0ELSEWHERE"
# Arguments that aim a subcommand at pair A; any other (new) subcommand gets the default.
ARGS = {
    "pair": f"<@UMENTOR01|maya> <@{MENTEE}|noah>",
    "charter": "history 1",
    "agenda": "intruder item",
    "share": "intruder share",
    "pause": "until 2026-04-01",
    "admin": "pairs",
}
DEFAULT_ARGS = f"<@{MENTEE}|noah> 1"


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: str
    team_id: str | None = None  # None: the pair's own workspace
    admin_only: bool = False  # only try what admins may do


ACTORS = [
    Actor("stranger", OUTSIDER),
    Actor("member of another pair", OTHER_MENTEE),
    Actor("user of another workspace", MENTEE, team_id=OTHER_TEAM),
    Actor("non-admin", MENTEE, admin_only=True),
]


def attempts(world: World, actor: Actor) -> list[tuple[str, Response]]:
    """Every listener tried once by `actor`, aimed at pair A."""
    tandem = world.tandem
    driver = SlackDriver(tandem.app_url, SIGNING_SECRET, tandem.emulator, team_id=actor.team_id)
    app = build_app(tandem.ctx)  # the same listeners the server runs
    tried: list[tuple[str, Response]] = []
    for sub in registered_subcommands():
        if actor.admin_only and sub != "admin":
            continue
        text = f"{sub} {ARGS.get(sub, DEFAULT_ARGS)}"
        tried.append((f"/tandem {text}", driver.command(actor.user_id, text)))
    for listener in registered_listeners(app):
        if actor.admin_only and not str(getattr(listener.id, "pattern", listener.id)).startswith(
            "admin."
        ):
            continue
        if listener.kind == "action":
            action_id = listener.example_ids()[0]
            action = {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": "1",
                "action_ts": "1.1",
                "selected_option": {"value": "1"},
            }
            tried.append((action_id, driver.click_crafted(actor.user_id, action)))
        elif listener.kind == "view_submission":
            callback = str(listener.id)
            view = world.views.get(callback) or {
                "id": "VATTACK",
                "callback_id": callback,
                "type": "modal",
                "blocks": [],
            }
            state = filled_state(view, "intruder text")
            if callback == "admin.erase":
                state = {
                    "values": {
                        "person": {"value": {"type": "users_select", "selected_user": MENTEE}},
                        "confirm": {"value": {"type": "plain_text_input", "value": "DELETE"}},
                    }
                }
            tried.append(
                (
                    callback,
                    driver.submit_crafted(actor.user_id, view, state, private_metadata=AIMED_AT_A),
                )
            )
        elif listener.kind == "shortcut":  # message and global shortcuts alike
            tried.append(
                (str(listener.id), driver.global_shortcut(actor.user_id, str(listener.id)))
            )
    return tried


def readable(response: Response) -> bool:
    """An answer a person can read: a message, a modal update, field errors, or nothing."""
    if response.status != 200:
        return False
    if not response.body.strip():
        return True
    answer = response.json or {}
    if "text" in answer:
        return isinstance(answer["text"], str) and bool(answer["text"].strip())
    return answer.get("response_action") in ("errors", "update", "push", "clear")


def test_outsiders_get_nothing_of_the_pair_and_change_nothing(
    tandem: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    world = build_world(tandem)
    before = owned_rows(tandem, world.a.pair_id)
    assert MARK in json.dumps(before, default=str)  # the markers are really there to find
    total, leaks, unreadable = 0, [], []
    for actor in ACTORS:
        seen = len(tandem.emulator.calls())
        for what, response in attempts(world, actor):
            total += 1
            tandem.settle_listeners()  # listeners answer after their ack
            for call in tandem.emulator.calls()[seen:]:
                if MARK in json.dumps(call.args, default=str):
                    leaks.append((actor.name, what, call.method))
            seen = len(tandem.emulator.calls())
            if MARK in response.body:
                leaks.append((actor.name, what, "answer"))
            if not readable(response):
                unreadable.append((actor.name, what, response.status, response.body[:200]))
    tandem.settle_listeners()  # the sender is stopped (build_world): nothing else calls Slack
    if any(MARK in json.dumps(c.args, default=str) for c in tandem.emulator.calls()[seen:]):
        leaks.append(("Web API", "after the last attempt", ""))
    after = owned_rows(tandem, world.a.pair_id)
    changed = {
        t: (before.get(t), after.get(t))
        for t in set(before) | set(after)
        if before.get(t) != after.get(t)
    }
    report(
        "authorisation matrix",
        attempts=total,
        leaks=len(leaks),
        changes=len(changed),
        api_calls_checked=len(tandem.emulator.calls()),
    )
    assert leaks == [], leaks
    assert changed == {}
    assert unreadable == []
    assert errors(caplog) == [], [r.getMessage() for r in errors(caplog)]


def test_the_matrix_would_see_a_member_reading_and_changing_the_pair(tandem: Harness) -> None:
    """The control: the same checks do see pair A's own member at work."""
    world = build_world(tandem)
    before = owned_rows(tandem, world.a.pair_id)
    member = Actor("member", MENTEE)
    answers = [response.body for _, response in attempts(world, member)]
    calls = json.dumps([c.args for c in tandem.emulator.calls()], default=str)
    assert MARK in "".join(answers) + calls
    assert owned_rows(tandem, world.a.pair_id) != before

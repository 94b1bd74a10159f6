"""Property: whatever a signed request carries, Tandem answers it readably and stays whole.

Generated with hypothesis, for every registered subcommand, action id and view callback (read
from the app, so a new one is fuzzed without anyone listing it): wrong types, missing blocks,
unicode and huge values, ids of other pairs, stale view ids, junk metadata. Over signed HTTP:
no 5xx, no ERROR record, every answer readable, and a submission answered with field errors
wrote nothing. Examples per test: TANDEM_FUZZ_EXAMPLES (default below; CI uses the default).
"""

import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_app
from devkit.emulator import Response
from tests.reliability import strategies as crafted
from tests.reliability.observe import BOOKKEEPING, errors, report, row_counts
from tests.reliability.world import World, build_world
from tests.support.harness import Harness
from tests.support.listeners import registered_listeners, registered_subcommands

EXAMPLES = int(os.environ.get("TANDEM_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run: the figures are reproducible
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
VALID_ACTIONS = {"errors", "update", "push", "clear"}


@pytest.fixture
def world(tandem: Harness, caplog: pytest.LogCaptureFixture) -> Iterator[World]:
    caplog.set_level(logging.INFO)
    yield build_world(tandem)


class Tally:
    """The figures of one fuzz run."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.problems: list[str] = []

    def check(self, what: str, response: Response, readable: bool) -> None:
        self.counts["inputs"] += 1
        if response.status >= 500:
            self.counts["5xx"] += 1
            self.problems.append(f"{response.status} for {what[:300]}")
        elif not readable:
            self.counts["unreadable"] += 1
            self.problems.append(f"unreadable {response.body[:200]!r} for {what[:300]}")

    def finish(self, title: str, caplog: pytest.LogCaptureFixture) -> None:
        time.sleep(0.5)  # listeners acked before they finished; let them end
        logged = errors(caplog)
        report(
            title,
            inputs_generated=self.counts["inputs"],
            status_5xx=self.counts["5xx"],
            error_records=len(logged),
            partial_writes=self.counts["partial"],
            unreadable=self.counts["unreadable"],
        )
        assert self.problems == []
        assert logged == [], [r.getMessage()[:300] for r in logged][:5]


def command_answer_readable(response: Response) -> bool:
    if response.status != 200:
        return False
    if not response.body.strip():
        return True  # a modal was opened instead
    text = (response.json or {}).get("text")
    return isinstance(text, str) and bool(text.strip())


def test_crafted_slash_commands(world: World, caplog: pytest.LogCaptureFixture) -> None:
    tally = Tally()

    @FUZZ
    @given(user=crafted.PEOPLE, text=crafted.command_texts(registered_subcommands()))
    def run(user: str, text: str) -> None:
        response = world.tandem.slack.command(user, text)
        tally.check(f"/tandem {text!r} by {user}", response, command_answer_readable(response))

    run()
    tally.finish("fuzz /tandem", caplog)


def test_crafted_view_submissions(world: World, caplog: pytest.LogCaptureFixture) -> None:
    tandem = world.tandem
    callbacks = [
        str(listener.id)
        for listener in registered_listeners(build_app(tandem.ctx))
        if listener.kind == "view_submission"
    ]
    tally = Tally()

    @FUZZ
    @given(data=st.data(), user=crafted.PEOPLE, callback=st.sampled_from(callbacks))
    def run(data: st.DataObject, user: str, callback: str) -> None:
        base = world.views.get(callback) or {"type": "modal", "blocks": []}
        view = {**base, "callback_id": callback}
        view["id"] = data.draw(st.sampled_from([base.get("id") or "VNONE", "VSTALE0001", ""]))
        state = data.draw(crafted.view_states(base))
        meta = data.draw(crafted.metadata(base))
        before = row_counts(tandem, skip=BOOKKEEPING)
        response = tandem.slack.submit_crafted(user, view, state, private_metadata=meta)
        answer: dict[str, Any] = response.json if isinstance(response.json, dict) else {}
        readable = response.status == 200 and (
            not response.body.strip()
            or (
                answer.get("response_action") in VALID_ACTIONS
                and all(isinstance(m, str) and m for m in (answer.get("errors") or {}).values())
            )
        )
        tally.check(f"{callback} by {user}: {state!r} meta={meta!r}", response, readable)
        refused = answer.get("response_action") == "errors"
        if refused and row_counts(tandem, skip=BOOKKEEPING) != before:
            tally.counts["partial"] += 1
            tally.problems.append(f"field errors but rows changed: {callback} {state!r}")

    run()
    tally.finish("fuzz view_submission", caplog)


def test_crafted_clicks(world: World, caplog: pytest.LogCaptureFixture) -> None:
    tandem = world.tandem
    listeners = registered_listeners(build_app(tandem.ctx))
    home = tandem.emulator.resolve_channel(world.a.home_channel_id)
    tally = Tally()

    @FUZZ
    @given(
        data=st.data(),
        user=crafted.PEOPLE,
        element=crafted.clicked_elements(crafted.action_ids(listeners)),
        where=st.sampled_from(["dm", "pair home", "modal"]),
    )
    def run(data: st.DataObject, user: str, element: dict[str, Any], where: str) -> None:
        overrides: dict[str, Any] = {}
        if where == "pair home":
            overrides["container"] = {
                "type": "message",
                "channel_id": home,
                "message_ts": "1.000001",
                "is_ephemeral": False,
            }
        elif where == "modal":
            base = data.draw(st.sampled_from(sorted(world.views)))
            view = {**world.views[base], "state": data.draw(crafted.view_states(world.views[base]))}
            view["private_metadata"] = data.draw(crafted.metadata(world.views[base]))
            overrides = {"container": {"type": "view", "view_id": view.get("id")}, "view": view}
            overrides["response_url"] = None
        response = tandem.slack.click_crafted(user, element, **overrides)
        tally.check(f"{element!r} by {user} in {where}", response, response.status == 200)

    run()
    tally.finish("fuzz block_actions", caplog)

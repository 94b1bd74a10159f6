"""Hypothesis strategies for what a crafted request can carry, aimed at the app's own ids."""

import json
import re
from typing import Any

from hypothesis import strategies as st

from tests.reliability.world import AIMED_AT_A, filled_element
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER
from tests.support.listeners import Listener

PEOPLE = st.sampled_from([MENTEE, MENTOR, OUTSIDER, OTHER_MENTEE, ADMIN])
NASTY = st.sampled_from(
    [
        "",
        " ",
        "1",
        "2",
        "0",
        "-1",
        "²",
        "١",
        "1e3",
        "1.5",
        "99999999999999999999999",
        "<@UMENTEE01|noah>",
        "<@UMENTOR01>",
        "<@UNOBODY0>",
        "<#C123|x>",
        "@noah",
        "2026-02-30",
        "2026-03-20",
        "until 2026-13-01",
        "until tomorrow",
        "10:00",
        "25:99",
        "\x00",
        "\ud800",
        "'; DROP TABLE pair;--",
        "a" * 5000,
        "🙂" * 100,
        "\n\n\n",
        "*_~`",
        "<script>alert(1)</script>",
        "%s%n",
        "{}",
        "[]",
        "null",
        "true",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=40), st.text(min_size=200, max_size=4000))
IDS = st.one_of(
    st.sampled_from(["1", "2", "3", "0", "-1", "²", "99999999999999999999999", "", "1:mentee"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def command_texts(subcommands: list[str]) -> st.SearchStrategy[str]:
    """`/tandem` texts: every registered subcommand (and near misses) with crafted arguments."""
    names = st.sampled_from([*subcommands, "", "HELP", "pari", "admin pairs", "charter history"])
    args = st.lists(st.one_of(TEXT, IDS), max_size=3).map(" ".join)
    # A form-encoded body can't carry lone surrogates (JSON payloads can, and do below).
    return st.tuples(names, args).map(
        lambda t: f"{t[0]} {t[1]}".strip().encode("utf-8", "ignore").decode()
    )


def action_ids(listeners: list[Listener]) -> st.SearchStrategy[str]:
    """Ids every action listener answers (patterns: generated to match, unicode digits too)."""
    choices = []
    for listener in listeners:
        if listener.kind != "action":
            continue
        if isinstance(listener.id, re.Pattern):
            choices.append(st.from_regex(listener.id, fullmatch=True))
            choices.append(st.sampled_from(listener.example_ids()))
        else:
            choices.append(st.just(listener.id))
    return st.one_of(choices)


@st.composite
def clicked_elements(draw: st.DrawFn, ids: st.SearchStrategy[str]) -> dict[str, Any]:
    """One element of a block_actions payload, shaped right or wrong."""
    element: dict[str, Any] = {
        "type": draw(st.sampled_from(["button", "static_select", "overflow", "checkboxes"])),
        "action_id": draw(ids),
        "block_id": draw(st.one_of(st.just("b"), TEXT)),
        "action_ts": "1.1",
    }
    if draw(st.booleans()):
        element["value"] = draw(st.one_of(IDS, IDS, JUNK))
    if draw(st.booleans()):
        element["selected_option"] = draw(st.one_of(st.builds(dict, value=IDS), JUNK))
    if draw(st.booleans()):
        element["selected_options"] = draw(st.one_of(st.lists(st.builds(dict, value=IDS)), JUNK))
    return element


@st.composite
def view_states(draw: st.DrawFn, view: dict[str, Any] | None) -> Any:
    """`view.state` for a submission: each input filled, garbled or left out, maybe more."""
    if draw(st.integers(0, 9)) == 0:
        return draw(JUNK)
    values: dict[str, Any] = {}
    for block in (view or {}).get("blocks") or []:
        element = block.get("element")
        if block.get("type") != "input" or not element:
            continue
        choice = draw(st.integers(0, 4))
        if choice == 0:
            continue
        if choice == 1:
            values[block["block_id"]] = {element["action_id"]: draw(JUNK)}
        elif choice == 2:
            values[block["block_id"]] = {
                element["action_id"]: {"type": element["type"], "value": draw(TEXT)}
            }
        else:
            values[block["block_id"]] = {element["action_id"]: filled_element(element, draw(TEXT))}
    if draw(st.booleans()):
        values.update(draw(st.dictionaries(st.text(max_size=10), JUNK, max_size=2)))
    return {"values": values}


def metadata(view: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    """private_metadata: the view's own, aimed at pair A, other ids, or no JSON at all."""
    own = (view or {}).get("private_metadata", "")
    keys = [
        "pair",
        "pair_id",
        "goal",
        "meeting",
        "feedback",
        "review",
        "version_id",
        "change",
        "done",
        "next",
        "channel",
        "ts",
    ]
    crafted = st.dictionaries(st.sampled_from(keys), st.one_of(IDS, JUNK), max_size=5).map(
        json.dumps
    )
    return st.one_of(st.just(own), st.just(AIMED_AT_A), crafted, TEXT, JUNK)

"""The pure Block Kit validator: Slack's limits, pointers and wording."""

from __future__ import annotations

import pytest

from devkit.emulator import validate_message_blocks, validate_view


def section(text: str = "hello", **extra: object) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(action_id: str = "go", text: str = "Go", **extra: object) -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        **extra,
    }


def options(count: int, *, text_len: int = 5, value_len: int = 5) -> list[dict]:
    return [
        {
            "text": {"type": "plain_text", "text": f"{i:0{text_len}d}"[-text_len:]},
            "value": f"{i:0{value_len}d}"[-value_len:],
        }
        for i in range(count)
    ]


def modal(blocks: list[dict], **extra: object) -> dict:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Title"},
        "blocks": blocks,
    } | extra


def text_input_block(block_id: str = "b", action_id: str = "a", **element: object) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "Label"},
        "element": {"type": "plain_text_input", "action_id": action_id, **element},
    }


def test_a_message_at_every_limit_is_valid() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        section(
            "s" * 3000,
            block_id="b" * 255,
            fields=[{"type": "mrkdwn", "text": "f" * 2000}] * 10,
            accessory=button(
                "x" * 255, "t" * 75, value="v" * 2000, url="https://e.x/" + "u" * 2980
            ),
        ),
        {"type": "actions", "elements": [button(f"a{i}") for i in range(25)]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": options(100, text_len=75, value_len=150),
                }
            ],
        },
        {"type": "divider"},
    ]
    blocks += [{"type": "divider"}] * (50 - len(blocks))
    assert validate_message_blocks(blocks) == []


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (
            [{"type": "divider"}] * 51,
            "no more than 50 items allowed [json-pointer:/blocks]",
        ),
        (
            [section("x" * 3001)],
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [button("same"), button("same")]}],
            "duplicate action_id: same [json-pointer:/blocks/0/elements/1/action_id]",
        ),
        (
            [{"type": "actions", "elements": [button("go", "b" * 76)]}],
            "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ),
        (
            [section(""), {"type": "divider"}],
            "must be more than 0 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}],
            "must be plain_text [json-pointer:/blocks/0/text/type]",
        ),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/fields]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
        ),
        (
            [{"type": "section", "block_id": "s"}],
            "must provide either text or fields [json-pointer:/blocks/0]",
        ),
        (
            [section(block_id="dup"), section(block_id="dup")],
            "duplicate block_id: dup [json-pointer:/blocks/1/block_id]",
        ),
        (
            [section(block_id="b" * 256)],
            "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
        ),
        (
            [{"type": "actions", "elements": [button("a" * 256)]}],
            "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
        ),
        (
            [{"type": "actions", "elements": [button(value="v" * 2001)]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
        ),
        (
            [{"type": "actions", "elements": [button(url="https://e.x/" + "u" * 2990)]}],
            "must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]",
        ),
        (
            [{"type": "actions", "elements": [button(f"a{i}") for i in range(26)]}],
            "no more than 25 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {"type": "static_select", "action_id": "p", "options": options(101)}
                    ],
                }
            ],
            "no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "static_select",
                            "action_id": "p",
                            "options": options(1, text_len=76),
                        }
                    ],
                }
            ],
            "must be less than 76 characters "
            "[json-pointer:/blocks/0/elements/0/options/0/text/text]",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "static_select",
                            "action_id": "p",
                            "options": options(1, value_len=151),
                        }
                    ],
                }
            ],
            "must be less than 151 characters [json-pointer:/blocks/0/elements/0/options/0/value]",
        ),
        (
            [{"type": "table", "rows": []}],
            "must provide at least 1 items [json-pointer:/blocks/0/rows]",
        ),
        (
            [{"type": "actions", "elements": [{"type": "plain_text_input", "action_id": "t"}]}],
            "unsupported element type: plain_text_input [json-pointer:/blocks/0/elements/0/type]",
        ),
    ],
    ids=lambda value: None if isinstance(value, list) else value.split(" [")[0],
)
def test_message_block_errors(blocks: list[dict], expected: str) -> None:
    assert expected in validate_message_blocks(blocks)


def test_not_a_list_is_reported_at_the_root() -> None:
    assert validate_message_blocks({"type": "divider"}) == [
        "must provide an array [json-pointer:/blocks]"
    ]


def test_initial_option_must_be_one_of_the_options() -> None:
    element = {
        "type": "static_select",
        "action_id": "p",
        "options": options(2),
        "initial_option": {"text": {"type": "plain_text", "text": "x"}, "value": "nope"},
    }
    errors = validate_message_blocks([{"type": "actions", "elements": [element]}])
    assert errors == [
        "must match one of the options [json-pointer:/blocks/0/elements/0/initial_option]"
    ]


def test_a_valid_modal() -> None:
    view = modal(
        [text_input_block(max_length=3000)],
        submit={"type": "plain_text", "text": "s" * 24},
        close={"type": "plain_text", "text": "c" * 24},
        private_metadata="m" * 3000,
        callback_id="c" * 255,
    )
    assert validate_view(view, view_type="modal") == []


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (
            modal([], title={"type": "plain_text", "text": "t" * 25}),
            "must be less than 25 characters [json-pointer:/view/title/text]",
        ),
        (
            modal([], submit={"type": "plain_text", "text": "s" * 25}),
            "must be less than 25 characters [json-pointer:/view/submit/text]",
        ),
        (
            modal([text_input_block()]),
            "submit is required when a view has input blocks [json-pointer:/view/submit]",
        ),
        (
            {"type": "modal", "blocks": []},
            "missing required field: title [json-pointer:/view]",
        ),
        (
            modal([], private_metadata="m" * 3001),
            "must be less than 3001 characters [json-pointer:/view/private_metadata]",
        ),
        (
            modal([], callback_id="c" * 256),
            "must be less than 256 characters [json-pointer:/view/callback_id]",
        ),
        (
            modal([{"type": "divider"}] * 101),
            "no more than 100 items allowed [json-pointer:/view/blocks]",
        ),
        (
            modal(
                [text_input_block(max_length=3001)],
                submit={"type": "plain_text", "text": "Save"},
            ),
            "must be between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]",
        ),
        (
            modal(
                [{"type": "input", "element": {"type": "plain_text_input", "action_id": "a"}}],
                submit={"type": "plain_text", "text": "Save"},
            ),
            "missing required field: label [json-pointer:/view/blocks/0]",
        ),
        (
            modal(
                [{"type": "input", "label": {"type": "plain_text", "text": "L"}}],
                submit={"type": "plain_text", "text": "Save"},
            ),
            "missing required field: element [json-pointer:/view/blocks/0]",
        ),
        (
            {"type": "home", "blocks": []},
            "must be one of modal [json-pointer:/view/type]",
        ),
    ],
    ids=lambda value: None if isinstance(value, dict) else value.split(" [")[0],
)
def test_modal_errors(view: dict, expected: str) -> None:
    assert expected in validate_view(view, view_type="modal")


def test_home_views_allow_100_blocks_and_no_title() -> None:
    assert (
        validate_view({"type": "home", "blocks": [{"type": "divider"}] * 100}, view_type="home")
        == []
    )
    assert validate_view(
        {"type": "home", "blocks": [{"type": "divider"}] * 101}, view_type="home"
    ) == ["no more than 100 items allowed [json-pointer:/view/blocks]"]


def test_action_ids_need_only_be_unique_within_their_block() -> None:
    view = modal(
        [text_input_block("one", "value"), text_input_block("two", "value")],
        submit={"type": "plain_text", "text": "Save"},
    )
    assert validate_view(view) == []


def table(rows: int = 2, cells: int = 3) -> dict:
    return {
        "type": "table",
        "rows": [
            [{"type": "raw_text", "text": f"{r}.{c}"} for c in range(cells)] for r in range(rows)
        ],
    }


def test_a_table_block_is_one_per_message_within_slacks_sizes_and_never_in_a_view() -> None:
    assert validate_message_blocks([section(), table()]) == []
    assert validate_message_blocks([table(), table()]) == [
        "only one table block is allowed per message [json-pointer:/blocks/1]"
    ]
    assert validate_message_blocks([table(rows=101)]) == [
        "no more than 100 items allowed [json-pointer:/blocks/0/rows]"
    ]
    assert validate_message_blocks([table(cells=21)]) == [
        "must provide 1 to 20 cells [json-pointer:/blocks/0/rows/0]",
        "must provide 1 to 20 cells [json-pointer:/blocks/0/rows/1]",
    ]
    odd = table()
    odd["rows"][0][0] = {"type": "mrkdwn", "text": "*no*"}
    assert validate_message_blocks([odd]) == [
        "unsupported cell type: mrkdwn [json-pointer:/blocks/0/rows/0/0/type]"
    ]
    home = {"type": "home", "blocks": [table()]}
    assert validate_view(home) == [
        "unsupported block type: table [json-pointer:/view/blocks/0/type]"
    ]

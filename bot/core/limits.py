"""Block Kit validation with Slack's limits and Slack-style error strings.

Slack rejects bad blocks with ``invalid_blocks`` (messages) or ``invalid_arguments`` (views)
and lists one human-readable error per problem, each ending in a JSON pointer, e.g.
``must be less than 3001 characters [json-pointer:/blocks/0/text/text]``. These functions
are pure so that the bot, its tests and the emulator can all share one source of truth.

Only the rules that commonly bite real apps are encoded (lengths, counts, required fields,
uniqueness, known types); exotic properties are accepted as Slack would mostly accept them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100

BLOCK_TYPES = frozenset(
    {
        "section",
        "divider",
        "header",
        "context",
        "actions",
        "input",
        "image",
        "rich_text",
        "file",
        "video",
        "table",  # messages only, one per message (block_table)
    }
)
TABLE_ROWS, TABLE_CELLS = 100, 20
TABLE_CELL_TYPES = frozenset({"raw_text", "raw_number", "rich_text"})

_SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
    }
)
_MULTI_SELECTS = frozenset("multi_" + s for s in _SELECTS)
_OPTION_SELECTS = frozenset({"static_select", "multi_static_select"})

# Which interactive elements Slack allows where (per the Block Kit reference).
ACTIONS_ELEMENTS = (
    frozenset(
        {
            "button",
            "checkboxes",
            "datepicker",
            "datetimepicker",
            "overflow",
            "radio_buttons",
            "timepicker",
            "workflow_button",
            "rich_text_input",
        }
    )
    | _SELECTS
    | _MULTI_SELECTS
)
ACCESSORY_ELEMENTS = (
    frozenset(
        {
            "button",
            "checkboxes",
            "datepicker",
            "image",
            "overflow",
            "radio_buttons",
            "timepicker",
            "workflow_button",
        }
    )
    | _SELECTS
    | _MULTI_SELECTS
)
INPUT_ELEMENTS = (
    frozenset(
        {
            "checkboxes",
            "datepicker",
            "datetimepicker",
            "email_text_input",
            "file_input",
            "number_input",
            "plain_text_input",
            "radio_buttons",
            "rich_text_input",
            "timepicker",
            "url_text_input",
        }
    )
    | _SELECTS
    | _MULTI_SELECTS
)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_message_blocks(blocks: Any) -> list[str]:
    """Validate the ``blocks`` of a message (chat.postMessage/update, response_url).

    Returns Slack-style error strings (empty list when valid); pointers start at ``/blocks``.
    """
    checker = _Checker()
    checker.blocks(blocks, "/blocks", MAX_MESSAGE_BLOCKS)
    return checker.errors


def validate_view(view: Any, *, view_type: str | None = None) -> list[str]:
    """Validate a modal or Home tab view object as views.open/push/update/publish would.

    ``view_type`` pins the allowed ``type`` (``"modal"`` for views.open/push, ``"home"`` for
    views.publish); by default either is accepted. Pointers start at ``/view``.
    """
    checker = _Checker()
    checker.view(view, "/view", view_type)
    return checker.errors


def iter_elements(blocks: Iterable[Any]) -> Iterable[tuple[dict, dict]]:
    """Yield ``(block, element)`` for every interactive element in a list of blocks.

    Used by the driver to find a button or input by ``action_id`` the way a user would see it.
    """
    for block in blocks or []:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "actions":
            for element in block.get("elements") or []:
                if isinstance(element, dict):
                    yield block, element
        elif kind == "section" and isinstance(block.get("accessory"), dict):
            if block["accessory"].get("type") != "image":
                yield block, block["accessory"]
        elif kind == "input" and isinstance(block.get("element"), dict):
            yield block, block["element"]


class _Checker:
    """Collects errors while walking one message or view (uniqueness is per surface)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._block_ids: set[str] = set()
        self._action_ids: set[str] = set()
        self._in_view = False
        self._tables = 0

    # -- helpers ------------------------------------------------------------------------

    def err(self, message: str, pointer: str) -> None:
        self.errors.append(f"{message} [json-pointer:{pointer}]")

    def obj(self, value: Any, pointer: str) -> bool:
        if not isinstance(value, dict):
            self.err("must provide an object", pointer)
            return False
        return True

    def string(
        self,
        parent: dict,
        key: str,
        pointer: str,
        *,
        max_len: int | None = None,
        required: bool = False,
        allow_empty: bool = False,
    ) -> str | None:
        if key not in parent or parent[key] is None:
            if required:
                self.err(f"missing required field: {key}", pointer)
            return None
        value = parent[key]
        where = f"{pointer}/{key}"
        if not isinstance(value, str):
            self.err("must be a string", where)
            return None
        if not value and not allow_empty:
            self.err("must be more than 0 characters", where)
        if max_len is not None and len(value) > max_len:
            self.err(f"must be less than {max_len + 1} characters", where)
        return value

    def array(
        self,
        parent: dict,
        key: str,
        pointer: str,
        *,
        max_items: int | None = None,
        min_items: int = 0,
        required: bool = False,
    ) -> list | None:
        if key not in parent or parent[key] is None:
            if required:
                self.err(f"missing required field: {key}", pointer)
            return None
        value = parent[key]
        where = f"{pointer}/{key}"
        if not isinstance(value, list):
            self.err("must provide an array", where)
            return None
        if len(value) < min_items:
            self.err(f"must provide at least {min_items} items", where)
        if max_items is not None and len(value) > max_items:
            self.err(f"no more than {max_items} items allowed", where)
        return value

    def text(
        self,
        parent: dict,
        key: str,
        pointer: str,
        *,
        max_len: int,
        plain_only: bool = False,
        required: bool = False,
    ) -> None:
        """Check the optional (or required) text object ``parent[key]``."""
        if key not in parent or parent[key] is None:
            if required:
                self.err(f"missing required field: {key}", pointer)
            return
        self.text_object(parent[key], f"{pointer}/{key}", max_len=max_len, plain_only=plain_only)

    def text_object(
        self, value: Any, where: str, *, max_len: int, plain_only: bool = False
    ) -> None:
        """A composition text object: ``{"type": "plain_text"|"mrkdwn", "text": "..."}``."""
        if not self.obj(value, where):
            return
        kind = value.get("type")
        if kind is None:
            self.err("missing required field: type", where)
        elif plain_only and kind != "plain_text":
            self.err("must be plain_text", f"{where}/type")
        elif kind not in ("plain_text", "mrkdwn"):
            self.err("must be one of plain_text, mrkdwn", f"{where}/type")
        self.string(value, "text", where, max_len=max_len, required=True)
        if kind == "mrkdwn" and "emoji" in value:
            self.err("invalid additional property: emoji", where)

    def url(self, parent: dict, key: str, pointer: str, *, required: bool = False) -> None:
        value = self.string(parent, key, pointer, max_len=3000, required=required)
        if value:
            parsed = urlparse(value)
            if not parsed.scheme or (parsed.scheme in ("http", "https") and not parsed.netloc):
                self.err("invalid url", f"{pointer}/{key}")

    def block_id(self, block: dict, pointer: str) -> None:
        value = self.string(block, "block_id", pointer, max_len=255)
        if value:
            if value in self._block_ids:
                self.err(f"duplicate block_id: {value}", f"{pointer}/block_id")
            self._block_ids.add(value)

    def action_id(self, element: dict, pointer: str) -> None:
        value = self.string(element, "action_id", pointer, max_len=255)
        if value:
            # Slack wants action_ids unique within their block; other blocks may reuse them.
            block = re.match(r"^(.*?/blocks/\d+)", pointer)
            value = f"{block.group(1) if block else ''}#{value}"
            if value in self._action_ids:
                self.err(f"duplicate action_id: {value.split('#', 1)[1]}", f"{pointer}/action_id")
            self._action_ids.add(value)

    # -- surfaces -----------------------------------------------------------------------

    def view(self, view: Any, pointer: str, view_type: str | None) -> None:
        if not self.obj(view, pointer):
            return
        self._in_view = True  # a table block is for messages only
        kind = view.get("type")
        allowed = (view_type,) if view_type else ("modal", "home")
        if kind is None:
            self.err("missing required field: type", pointer)
        elif kind not in allowed:
            self.err(f"must be one of {', '.join(allowed)}", f"{pointer}/type")
        if kind == "modal":
            self.text(view, "title", pointer, max_len=24, plain_only=True, required=True)
            self.text(view, "close", pointer, max_len=24, plain_only=True)
            self.text(view, "submit", pointer, max_len=24, plain_only=True)
            has_inputs = any(
                isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
            )
            if has_inputs and not view.get("submit"):
                self.err("submit is required when a view has input blocks", f"{pointer}/submit")
        self.string(view, "private_metadata", pointer, max_len=3000, allow_empty=True)
        self.string(view, "callback_id", pointer, max_len=255, allow_empty=True)
        self.string(view, "external_id", pointer, max_len=255, allow_empty=True)
        for flag in ("clear_on_close", "notify_on_close", "submit_disabled"):
            if flag in view and not isinstance(view[flag], bool):
                self.err("must be a boolean", f"{pointer}/{flag}")
        if "blocks" not in view:
            self.err("missing required field: blocks", pointer)
            return
        self.blocks(view["blocks"], f"{pointer}/blocks", MAX_VIEW_BLOCKS)

    def blocks(self, blocks: Any, pointer: str, max_blocks: int) -> None:
        if not isinstance(blocks, list):
            self.err("must provide an array", pointer)
            return
        if len(blocks) > max_blocks:
            self.err(f"no more than {max_blocks} items allowed", pointer)
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}")

    # -- blocks -------------------------------------------------------------------------

    def block(self, block: Any, pointer: str) -> None:
        if not self.obj(block, pointer):
            return
        kind = block.get("type")
        if kind is None:
            self.err("missing required field: type", pointer)
            return
        if kind not in BLOCK_TYPES:
            self.err(f"unsupported block type: {kind}", f"{pointer}/type")
            return
        self.block_id(block, pointer)
        getattr(self, f"block_{kind}")(block, pointer)

    def block_section(self, block: dict, pointer: str) -> None:
        self.text(block, "text", pointer, max_len=3000)
        fields = self.array(block, "fields", pointer, max_items=10)
        for index, field in enumerate(fields or []):
            self.text_object(field, f"{pointer}/fields/{index}", max_len=2000)
        if not block.get("text") and not block.get("fields"):
            self.err("must provide either text or fields", pointer)
        if "accessory" in block:
            self.element(block["accessory"], f"{pointer}/accessory", ACCESSORY_ELEMENTS)

    def block_divider(self, block: dict, pointer: str) -> None:
        return None

    def block_header(self, block: dict, pointer: str) -> None:
        self.text(block, "text", pointer, max_len=150, plain_only=True, required=True)

    def block_context(self, block: dict, pointer: str) -> None:
        elements = self.array(block, "elements", pointer, max_items=10, min_items=1, required=True)
        for index, element in enumerate(elements or []):
            where = f"{pointer}/elements/{index}"
            if not self.obj(element, where):
                continue
            kind = element.get("type")
            if kind == "image":
                self.image_element(element, where)
            elif kind in ("plain_text", "mrkdwn"):
                self.text_object(element, where, max_len=3000)
            else:
                self.err(f"unsupported element type: {kind}", f"{where}/type")

    def block_actions(self, block: dict, pointer: str) -> None:
        elements = self.array(block, "elements", pointer, max_items=25, min_items=1, required=True)
        for index, element in enumerate(elements or []):
            self.element(element, f"{pointer}/elements/{index}", ACTIONS_ELEMENTS)

    def block_input(self, block: dict, pointer: str) -> None:
        self.text(block, "label", pointer, max_len=2000, plain_only=True, required=True)
        self.text(block, "hint", pointer, max_len=2000, plain_only=True)
        for flag in ("optional", "dispatch_action"):
            if flag in block and not isinstance(block[flag], bool):
                self.err("must be a boolean", f"{pointer}/{flag}")
        if block.get("element") is None:
            self.err("missing required field: element", pointer)
        else:
            self.element(block["element"], f"{pointer}/element", INPUT_ELEMENTS)

    def block_image(self, block: dict, pointer: str) -> None:
        self.image_element(block, pointer)
        self.text(block, "title", pointer, max_len=2000, plain_only=True)

    def block_rich_text(self, block: dict, pointer: str) -> None:
        self.array(block, "elements", pointer, required=True)

    def block_table(self, block: dict, pointer: str) -> None:
        if self._in_view:
            self.err("unsupported block type: table", f"{pointer}/type")
            return
        self._tables += 1
        if self._tables > 1:
            self.err("only one table block is allowed per message", pointer)
        rows = self.array(block, "rows", pointer, max_items=TABLE_ROWS, min_items=1, required=True)
        for index, row in enumerate(rows or []):
            where = f"{pointer}/rows/{index}"
            if not isinstance(row, list):
                self.err("must provide an array", where)
                continue
            if not 1 <= len(row) <= TABLE_CELLS:
                self.err(f"must provide 1 to {TABLE_CELLS} cells", where)
            for column, cell in enumerate(row):
                at = f"{where}/{column}"
                if not self.obj(cell, at):
                    continue
                if cell.get("type") not in TABLE_CELL_TYPES:
                    self.err(f"unsupported cell type: {cell.get('type')}", f"{at}/type")
                elif cell["type"] == "raw_text":
                    self.string(cell, "text", at, required=True, allow_empty=True)
        self.array(block, "column_settings", pointer, max_items=TABLE_CELLS)

    def block_file(self, block: dict, pointer: str) -> None:
        self.string(block, "external_id", pointer, required=True)
        if block.get("source") != "remote":
            self.err("must be remote", f"{pointer}/source")

    def block_video(self, block: dict, pointer: str) -> None:
        self.string(block, "alt_text", pointer, required=True)
        self.text(block, "title", pointer, max_len=199, plain_only=True, required=True)
        self.url(block, "thumbnail_url", pointer, required=True)
        self.url(block, "video_url", pointer, required=True)

    # -- elements -----------------------------------------------------------------------

    def image_element(self, element: dict, pointer: str) -> None:
        if "slack_file" not in element:
            self.url(element, "image_url", pointer, required=True)
        self.string(element, "alt_text", pointer, max_len=2000, required=True)

    def element(self, element: Any, pointer: str, allowed: frozenset[str]) -> None:
        if not self.obj(element, pointer):
            return
        kind = element.get("type")
        if kind is None:
            self.err("missing required field: type", pointer)
            return
        if kind not in allowed:
            self.err(f"unsupported element type: {kind}", f"{pointer}/type")
            return
        if kind == "image":
            self.image_element(element, pointer)
            return
        self.action_id(element, pointer)
        self.text(element, "placeholder", pointer, max_len=150, plain_only=True)
        if isinstance(element.get("confirm"), dict):
            self.confirm(element["confirm"], f"{pointer}/confirm")
        if kind == "button":
            self.text(element, "text", pointer, max_len=75, plain_only=True, required=True)
            self.string(element, "value", pointer, max_len=2000)
            self.url(element, "url", pointer)
            if "style" in element and element["style"] not in ("primary", "danger"):
                self.err("must be one of primary, danger", f"{pointer}/style")
        elif kind in _OPTION_SELECTS:
            self.option_select(element, pointer, multi=kind.startswith("multi_"))
        elif kind in ("checkboxes", "radio_buttons"):
            options = self.options(element, pointer, max_items=10, plain_only=False)
            self.initial_options(element, pointer, options, multi=kind == "checkboxes")
        elif kind == "overflow":
            self.options(element, pointer, max_items=5, plain_only=True, required=True)
        elif kind == "plain_text_input":
            self.text_input(element, pointer)
        elif kind == "number_input":
            if not isinstance(element.get("is_decimal_allowed"), bool):
                self.err("missing required field: is_decimal_allowed", pointer)
        elif kind == "datepicker":
            date = self.string(element, "initial_date", pointer)
            if date and not _DATE_RE.match(date):
                self.err("must be a date in the format YYYY-MM-DD", f"{pointer}/initial_date")
        elif kind == "timepicker":
            time = self.string(element, "initial_time", pointer)
            if time and not _TIME_RE.match(time):
                self.err("must be a time in the format HH:mm", f"{pointer}/initial_time")
        if kind.startswith("multi_") and "max_selected_items" in element:
            count = element["max_selected_items"]
            if not isinstance(count, int) or count < 1:
                self.err("must be greater than or equal to 1", f"{pointer}/max_selected_items")

    def text_input(self, element: dict, pointer: str) -> None:
        max_length = element.get("max_length")
        min_length = element.get("min_length")
        if max_length is not None and (
            not isinstance(max_length, int) or not 1 <= max_length <= 3000
        ):
            self.err("must be between 1 and 3000", f"{pointer}/max_length")
            max_length = None
        if min_length is not None and (
            not isinstance(min_length, int) or not 0 <= min_length <= 3000
        ):
            self.err("must be between 0 and 3000", f"{pointer}/min_length")
            min_length = None
        if max_length is not None and min_length is not None and min_length > max_length:
            self.err("must be less than or equal to max_length", f"{pointer}/min_length")
        initial = self.string(element, "initial_value", pointer, allow_empty=True)
        if initial is not None and max_length is not None and len(initial) > max_length:
            self.err(f"must be less than {max_length + 1} characters", f"{pointer}/initial_value")

    def option_select(self, element: dict, pointer: str, *, multi: bool) -> None:
        has_options = "options" in element
        has_groups = "option_groups" in element
        if has_options == has_groups:
            self.err("must provide exactly one of options, option_groups", pointer)
        options: list[dict] = []
        if has_options:
            options = self.options(element, pointer, max_items=100, plain_only=True)
        if has_groups:
            groups = self.array(element, "option_groups", pointer, max_items=100, min_items=1)
            for index, group in enumerate(groups or []):
                where = f"{pointer}/option_groups/{index}"
                if self.obj(group, where):
                    self.text(group, "label", where, max_len=75, plain_only=True, required=True)
                    options += self.options(
                        group, where, max_items=100, plain_only=True, required=True
                    )
        self.initial_options(element, pointer, options, multi=multi)

    def options(
        self,
        parent: dict,
        pointer: str,
        *,
        max_items: int,
        plain_only: bool,
        required: bool = True,
    ) -> list[dict]:
        options = self.array(
            parent, "options", pointer, max_items=max_items, min_items=1, required=required
        )
        valid: list[dict] = []
        for index, option in enumerate(options or []):
            where = f"{pointer}/options/{index}"
            if not self.obj(option, where):
                continue
            self.text(option, "text", where, max_len=75, plain_only=plain_only, required=True)
            self.string(option, "value", where, max_len=150, required=True)
            self.text(option, "description", where, max_len=75, plain_only=plain_only)
            self.url(option, "url", where)
            valid.append(option)
        return valid

    def initial_options(
        self, element: dict, pointer: str, options: list[dict], *, multi: bool
    ) -> None:
        offered = {o.get("value") for o in options}
        if multi:
            chosen = element.get("initial_options")
            if chosen is None:
                return
            if not isinstance(chosen, list):
                self.err("must provide an array", f"{pointer}/initial_options")
                return
            for index, option in enumerate(chosen):
                if not isinstance(option, dict) or option.get("value") not in offered:
                    self.err("must match one of the options", f"{pointer}/initial_options/{index}")
        else:
            chosen = element.get("initial_option")
            if chosen is None:
                return
            if not isinstance(chosen, dict) or chosen.get("value") not in offered:
                self.err("must match one of the options", f"{pointer}/initial_option")

    def confirm(self, confirm: dict, pointer: str) -> None:
        self.text(confirm, "title", pointer, max_len=100, plain_only=True, required=True)
        self.text(confirm, "text", pointer, max_len=300, required=True)
        self.text(confirm, "confirm", pointer, max_len=30, plain_only=True, required=True)
        self.text(confirm, "deny", pointer, max_len=30, plain_only=True, required=True)

"""Block Kit and mrkdwn as plain text, the way a reader would take in a message or a modal."""

import html
import re
from collections.abc import Mapping
from typing import Any

# <@U123|name>, <#C123|name>, <!date^unix^format|fallback>, <!here>, <url|label>, <url>
_ANGLE = re.compile(r"<([^<>]+)>")


def plain(text: str, names: Mapping[str, str]) -> str:
    """mrkdwn with mentions, channels, dates and links resolved, and entities unescaped."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + names.get(target[1:], label or target[1:])
        if target.startswith("#"):
            return "#" + (label or names.get(target[1:], target[1:]).lstrip("#"))
        if target.startswith("!date^"):
            return label or target
        if target.startswith("!"):
            return "@" + target[1:]
        return f"{label} ({target})" if label and label != target else target

    return html.unescape(_ANGLE.sub(replace, text))


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text") or "")
    return str(obj or "")


def _element(element: Mapping[str, Any]) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{_text(element.get('text'))}]"
    if kind == "overflow":
        return "[⋯ " + " | ".join(_text(o.get("text")) for o in element.get("options", [])) + "]"
    if kind in ("static_select", "users_select", "conversations_select", "channels_select"):
        chosen = element.get("initial_option") or {}
        shown = _text(chosen.get("text")) or _text(element.get("placeholder")) or "choose"
        return f"[{shown} ▾]"
    if kind == "datepicker":
        return f"[📅 {element.get('initial_date') or 'pick a date'}]"
    if kind == "image":
        return f"(image: {element.get('alt_text', '')})"
    return _text(element.get("text")) if "text" in element else ""


def _rich(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "text":
            return str(node.get("text", ""))
        if node.get("type") == "user":
            return f"<@{node.get('user_id')}>"
        if node.get("type") == "link":
            return str(node.get("text") or node.get("url", ""))
        return "".join(_rich(child) for child in node.get("elements", []))
    return ""


def _input(block: Mapping[str, Any]) -> str:
    element = block.get("element") or {}
    label = _text(block.get("label"))
    optional = " (optional)" if block.get("optional") else ""
    initial = element.get("initial_value") or _text(
        (element.get("initial_option") or {}).get("text")
    )
    shown = f": “{initial}”" if initial else ""
    return f"✎ {label}{optional}{shown}"


def block_lines(block: Mapping[str, Any]) -> list[str]:
    """The lines one block shows (mrkdwn not yet resolved)."""
    kind = block.get("type")
    lines: list[str] = []
    if kind == "header":
        lines.append(f"== {_text(block.get('text'))} ==")
    elif kind == "section":
        if block.get("text"):
            lines.extend(_text(block["text"]).splitlines())
        for field in block.get("fields") or []:
            lines.extend(_text(field).splitlines())
        accessory = block.get("accessory")
        if accessory:
            shown = _element(accessory)
            if shown and lines:
                lines[-1] = f"{lines[-1]}  {shown}"
            elif shown:
                lines.append(shown)
    elif kind == "context":
        lines.append(" · ".join(filter(None, (_element(e) or _text(e) for e in block["elements"]))))
    elif kind == "actions":
        lines.append("  ".join(filter(None, (_element(e) for e in block.get("elements", [])))))
    elif kind == "input":
        lines.append(_input(block))
    elif kind == "rich_text":
        lines.extend(_rich(block).splitlines())
    elif kind == "image":
        lines.append(f"(image: {block.get('alt_text', '')})")
    elif kind == "divider":
        lines.append("─" * 12)
    return lines


def message_lines(
    text: str | None, blocks: list[Mapping[str, Any]] | None, names: Mapping[str, str]
) -> list[str]:
    """What a message shows: its blocks when it has any, else its text."""
    raw: list[str] = []
    for block in blocks or []:
        raw.extend(block_lines(block))
    if not raw:
        raw = (text or "").splitlines()
    return [plain(line, names) for line in raw if line.strip()]


def view_lines(view: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """A modal: its title, then its blocks, then its buttons."""
    title = _text(view.get("title"))
    lines = [f"┌ {title} ┐"] + _fold_empty(message_lines(None, view.get("blocks"), names))
    buttons = [_text(view.get(k)) for k in ("close", "submit") if view.get(k)]
    if buttons:
        lines.append("  ".join(f"[{b}]" for b in buttons))
    return lines


def _fold_empty(lines: list[str], keep: int = 4) -> list[str]:
    """Long runs of empty optional fields (ten milestone slots...) shortened to a few."""
    folded: list[str] = []
    run: list[str] = []

    def flush() -> None:
        folded.extend(run[:keep])
        if len(run) > keep:
            folded.append(f"✎ … and {len(run) - keep} more optional fields")
        run.clear()

    for line in lines:
        if line.startswith("✎") and line.endswith("(optional)"):
            run.append(line)
        else:
            flush()
            folded.append(line)
    flush()
    return folded


def actions_in(blocks: list[Mapping[str, Any]] | None) -> list[str]:
    """Every action_id in a message's blocks, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("action_id"), str):
                found.append(node["action_id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return found


def button_label(blocks: list[Mapping[str, Any]] | None, action_id: str) -> str:
    """The label of the button `action_id` (what a person would say they clicked)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("action_id") == action_id and node.get("type") == "button":
                found.append(_text(node.get("text")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return found[0] if found else action_id

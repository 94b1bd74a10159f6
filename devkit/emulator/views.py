"""Modals and the Home tab: the views.* methods and what Slack does on submit/close.

Slack keeps, per user, a stack of at most three modals; views.open starts a stack,
views.push adds to it, and a view_submission answer (or the user closing the modal)
pops, replaces or clears it. The emulator mirrors that so tests can ask which modal a user
is looking at.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from bot.core.limits import validate_view
from devkit.emulator.registry import MethodContext, MethodTable, arg_str, invalid_arguments
from devkit.emulator.workspace import SlackError, Workspace

HANDLERS = MethodTable()

MAX_STACK_DEPTH = 3
MAX_VIEW_BYTES = 250_000


def _view_errors(errors: list[str]) -> SlackError:
    # Views report problems only in response_metadata, unlike messages' `errors` list.
    return invalid_arguments(*errors)


def _view_spec(args: dict[str, Any], view_type: str) -> dict[str, Any]:
    spec = args.get("view")
    if spec is None or spec == "":
        raise invalid_arguments("missing required field: view")
    if not isinstance(spec, dict):
        raise invalid_arguments("must provide an object [json-pointer:/view]")
    errors = validate_view(spec, view_type=view_type)
    if errors:
        raise _view_errors(errors)
    return spec


def _close(ws: Workspace, user_id: str, view_ids: list[str]) -> None:
    ws.close_views(view_ids)
    stack = ws.modal_stacks.get(user_id)
    if stack is not None:
        stack[:] = [v for v in stack if v not in view_ids]
        if not stack:
            del ws.modal_stacks[user_id]


def _exchange(ctx: MethodContext, args: dict[str, Any]) -> str:
    trigger = args.get("trigger_id") or args.get("interactivity_pointer")
    user_id = ctx.ws.exchange_trigger(trigger, ctx.now(), ctx.trigger_ttl)
    # Triggers minted outside the driver have no known user; they share one anonymous stack.
    return user_id or ""


@HANDLERS.register("views.open", accepts_json=True)
def views_open(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    user_id = _exchange(ctx, args)
    spec = _view_spec(args, "modal")
    ws.check_external_id(spec)
    _close(ws, user_id, list(ws.modal_stacks.get(user_id, [])))
    view = ws.store_view(ws.build_view(spec, view_id=ws.new_id("V")), user_id)
    ws.modal_stacks[user_id] = [view["id"]]
    return {"ok": True, "view": copy.deepcopy(view)}


@HANDLERS.register("views.push", accepts_json=True)
def views_push(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    user_id = _exchange(ctx, args)
    spec = _view_spec(args, "modal")
    stack = ws.modal_stacks.get(user_id)
    if not stack:
        raise SlackError("not_found")
    if len(stack) >= MAX_STACK_DEPTH:
        raise SlackError("push_limit_reached")
    ws.check_external_id(spec)
    view = ws.build_view(
        spec, view_id=ws.new_id("V"), root_view_id=stack[0], previous_view_id=stack[-1]
    )
    ws.store_view(view, user_id)
    stack.append(view["id"])
    return {"ok": True, "view": copy.deepcopy(view)}


@HANDLERS.register("views.update", accepts_json=True)
def views_update(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    view_id = arg_str(args, "view_id")
    external_id = arg_str(args, "external_id")
    if view_id is None and external_id is None:
        raise invalid_arguments("must provide view_id or external_id")
    if view_id is None:
        view_id = ws.external_ids.get(external_id or "")
    current = ws.views.get(view_id or "")
    if current is None or current["id"] in ws.closed_views:
        raise SlackError("not_found")
    expected_hash = arg_str(args, "hash")
    if expected_hash is not None and expected_hash != current["hash"]:
        raise SlackError("hash_conflict")
    spec = _view_spec(args, current["type"])
    ws.check_external_id(spec, allow=current["id"])
    view = ws.build_view(
        spec,
        view_id=current["id"],
        root_view_id=current["root_view_id"],
        previous_view_id=current["previous_view_id"],
        external_id=current["external_id"],
    )
    ws.store_view(view, ws.view_owner[current["id"]])
    return {"ok": True, "view": copy.deepcopy(view)}


@HANDLERS.register("views.publish", accepts_json=True)
def views_publish(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    user_id = arg_str(args, "user_id")
    if user_id is None:
        raise invalid_arguments("missing required field: user_id")
    if len(json.dumps(args.get("view"), ensure_ascii=False).encode()) > MAX_VIEW_BYTES:
        raise invalid_arguments(
            f"view must be less than {MAX_VIEW_BYTES} bytes [json-pointer:/view]"
        )
    spec = _view_spec(args, "home")
    current_id = ws.homes.get(user_id)
    expected_hash = arg_str(args, "hash")
    stale = current_id is not None and expected_hash is not None
    if stale and expected_hash != ws.views[current_id]["hash"]:
        raise SlackError("hash_conflict")
    ws.check_external_id(spec, allow=current_id)
    # A user's Home tab keeps one view id across publishes.
    view = ws.build_view(spec, view_id=current_id or ws.new_id("V"))
    ws.store_view(view, user_id)
    ws.homes[user_id] = view["id"]
    return {"ok": True, "view": copy.deepcopy(view)}


# -- what the Slack client does -------------------------------------------------------------


def apply_submission_response(ws: Workspace, user_id: str, view_id: str, body: Any) -> list[str]:
    """Act on an app's HTTP answer to ``view_submission`` the way Slack does.

    Returns the problems Slack would surface to the user instead (an invalid replacement
    view, errors for unknown blocks...); an empty list means the answer was accepted.
    """
    action = body.get("response_action") if isinstance(body, dict) else None
    submitted = ws.views.get(view_id)
    if action == "errors":
        errors = body.get("errors")
        if not isinstance(errors, dict) or not errors:
            return ["response_action errors needs a non-empty errors object"]
        inputs = {
            b.get("block_id")
            for b in (submitted or {}).get("blocks", [])
            if b.get("type") == "input"
        }
        return [
            f"errors refer to a block that is not an input: {k}" for k in errors if k not in inputs
        ]
    if action in ("update", "push"):
        spec = body.get("view")
        errors = validate_view(spec, view_type="modal")
        if errors:
            return errors
        stack = ws.modal_stacks.setdefault(user_id, [view_id])
        if action == "update" and submitted is not None:
            view = ws.build_view(
                spec,
                view_id=view_id,
                root_view_id=submitted["root_view_id"],
                previous_view_id=submitted["previous_view_id"],
                external_id=submitted["external_id"],
            )
            ws.store_view(view, user_id)
            return []
        if len(stack) >= MAX_STACK_DEPTH:
            return ["push_limit_reached"]
        view = ws.build_view(
            spec, view_id=ws.new_id("V"), root_view_id=stack[0], previous_view_id=stack[-1]
        )
        ws.store_view(view, user_id)
        stack.append(view["id"])
        return []
    if action == "clear":
        _close(ws, user_id, list(ws.modal_stacks.get(user_id, [view_id])))
        return []
    problems = [] if action is None else [f"unknown response_action: {action}"]
    if not problems:
        _close(ws, user_id, [view_id])
    return problems


def close_view(ws: Workspace, user_id: str, view_id: str) -> bool:
    """The user dismisses a modal; returns ``is_cleared`` (the whole stack went away)."""
    view = ws.views.get(view_id)
    if view is not None and view.get("clear_on_close"):
        _close(ws, user_id, list(ws.modal_stacks.get(user_id, [view_id])))
        return True
    _close(ws, user_id, [view_id])
    return False

"""Web API methods about messages, conversations, users, auth and files.

Each handler takes the already-authenticated arguments and returns Slack's JSON body, or
raises :class:`SlackError` with the error code Slack documents for that situation.
"""

from __future__ import annotations

import base64
import binascii
import copy
import mimetypes
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.core.limits import validate_message_blocks
from devkit.emulator.registry import (
    MethodContext,
    MethodTable,
    arg_flag,
    arg_int,
    arg_str,
    invalid_arguments,
)
from devkit.emulator.workspace import (
    MAX_MPIM_USERS,
    Conversation,
    Message,
    ResponseTarget,
    SlackError,
    UploadedFile,
    Workspace,
    ts_key,
)

HANDLERS = MethodTable()

MAX_TEXT_LENGTH = 40_000
# What Slack stores as `text` when a message has blocks but no fallback text.
BLOCKS_ONLY_TEXT = "This content can't be displayed."


# -- shared helpers -------------------------------------------------------------------------


def checked_blocks(ws: Workspace, blocks: Any) -> list[dict] | None:
    """Validate message blocks; returns them with Slack's generated ids, or None if absent."""
    if blocks is None or blocks == "":
        return None
    if not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    errors = validate_message_blocks(blocks)
    if errors:
        raise SlackError(
            "invalid_blocks",
            errors=errors,
            response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
        )
    return ws.with_generated_ids(blocks)


def _message_text(args: dict[str, Any], blocks: list[dict] | None) -> str:
    text = arg_str(args, "text")
    markdown = arg_str(args, "markdown_text")
    if markdown is not None:
        if text is not None or blocks:
            raise SlackError("markdown_text_conflict")
        text = markdown
    if text is None and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    if text is not None and len(text) > MAX_TEXT_LENGTH:
        raise SlackError("msg_too_long")
    return text if text is not None else BLOCKS_ONLY_TEXT


def _checked_metadata(args: dict[str, Any]) -> dict | None:
    metadata = args.get("metadata")
    if metadata is None or metadata == "":
        return None
    if not isinstance(metadata, dict):
        raise SlackError("invalid_metadata_format")
    if (
        not isinstance(metadata.get("event_type"), str)
        or not metadata["event_type"]
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise SlackError("invalid_metadata_schema")
    return copy.deepcopy(metadata)


def postable_conversation(ws: Workspace, channel: str | None) -> Conversation:
    """Resolve a chat.postMessage ``channel``: ids, names, or a user id (their IM)."""
    if not channel:
        raise SlackError("channel_not_found")
    if channel[0] in "UW" and channel not in ws.conversations:
        user = ws.users.get(channel)
        if user is None:
            raise SlackError("channel_not_found")
        if user.deleted:
            raise SlackError("user_disabled")
        if user.is_bot:
            raise SlackError("cannot_dm_bot")
        return ws.open_im(user.id)[0]
    conversation = ws.visible_conversation(channel)
    if conversation.is_im:
        user = ws.users.get(conversation.im_user or "")
        if user is not None and user.deleted:
            raise SlackError("user_disabled")
    if conversation.is_archived:
        raise SlackError("is_archived")
    if not ws.bot_in(conversation):
        raise SlackError("not_in_channel")
    return conversation


def _readable_conversation(ws: Workspace, channel: str | None) -> Conversation:
    conversation = ws.visible_conversation(channel)
    if not ws.bot_in(conversation):
        raise SlackError("not_in_channel")
    return conversation


def _page(items: list[Any], args: dict[str, Any], default_limit: int) -> tuple[list[Any], str]:
    """Cursor pagination; cursors are opaque base64 strings as in Slack."""
    limit = max(1, min(arg_int(args, "limit", default_limit), 999))
    cursor = arg_str(args, "cursor")
    start = 0
    if cursor:
        try:
            prefix, _, offset = base64.b64decode(cursor).decode().partition(":")
            start = int(offset)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise SlackError("invalid_cursor") from None
        if prefix != "offset" or start < 0:
            raise SlackError("invalid_cursor")
    page = items[start : start + limit]
    more = start + limit < len(items)
    next_cursor = base64.b64encode(f"offset:{start + limit}".encode()).decode() if more else ""
    return page, next_cursor


def _ts_arg(args: dict[str, Any], key: str, error: str) -> Decimal | None:
    value = arg_str(args, key)
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise SlackError(error) from None


def _own_message(ws: Workspace, channel: Conversation, ts: str | None, error: str) -> Message:
    message = ws.find_message(channel.id, ts or "")
    if message is None:
        raise SlackError("message_not_found")
    if message.bot_id != ws.bot_id:
        raise SlackError(error)
    return message


# -- auth and users -------------------------------------------------------------------------


@HANDLERS.register("auth.test", accepts_json=True)
def auth_test(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    return {
        "ok": True,
        "url": f"https://{ws.domain}.slack.com/",
        "team": ws.team_name,
        "user": ws.bot_name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


@HANDLERS.register("users.info")
def users_info(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    user = ctx.ws.users.get(arg_str(args, "user") or "")
    if user is None:
        raise SlackError("user_not_found")
    return {"ok": True, "user": ctx.ws.user_json(user)}


@HANDLERS.register("users.list")
def users_list(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    """The workspace's members (bots and deactivated accounts included, members of other
    workspaces not), a page at a time with Slack's opaque cursors; `limit` defaults to 200,
    the most Slack recommends."""
    ws = ctx.ws
    members = [ws.user_json(u) for u in ws.users.values() if u.team_id in ("", ws.team_id)]
    page, next_cursor = _page(members, args, 200)
    return {
        "ok": True,
        "members": page,
        "cache_ts": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


@HANDLERS.register("users.lookupByEmail")
def users_lookup_by_email(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    email = arg_str(args, "email")
    if not email:
        raise invalid_arguments("missing required field: email")
    user = ctx.ws.user_by_email(email)
    if user is None:
        raise SlackError("users_not_found")
    return {"ok": True, "user": ctx.ws.user_json(user)}


# -- chat -----------------------------------------------------------------------------------


@HANDLERS.register("chat.postMessage", accepts_json=True)
def chat_post_message(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = postable_conversation(ws, arg_str(args, "channel"))
    blocks = checked_blocks(ws, args.get("blocks"))
    text = _message_text(args, blocks)
    metadata = _checked_metadata(args)
    thread_ts = arg_str(args, "thread_ts")
    if thread_ts is not None:
        parent = ws.find_message(conversation.id, thread_ts)
        if parent is not None and parent.is_reply():
            # Threads are one level deep: replying to a reply lands in the same thread.
            thread_ts = parent.thread_ts
    message = ws.add_message(
        Message(
            channel=conversation.id,
            ts=ws.new_ts(),
            text=text,
            user=ws.bot_user_id,
            blocks=blocks,
            metadata=metadata,
            thread_ts=thread_ts,
            bot_id=ws.bot_id,
            app_id=ws.app_id,
            reply_broadcast=thread_ts is not None and arg_flag(args, "reply_broadcast"),
        )
    )
    return {
        "ok": True,
        "channel": conversation.id,
        "ts": message.ts,
        "message": ws.message_json(message),
    }


@HANDLERS.register("chat.postEphemeral", accepts_json=True)
def chat_post_ephemeral(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = postable_conversation(ws, arg_str(args, "channel"))
    user = arg_str(args, "user")
    if user is None or user not in ws.member_ids(conversation):
        raise SlackError("user_not_in_channel")
    blocks = checked_blocks(ws, args.get("blocks"))
    text = _message_text(args, blocks)
    ts = ws.new_ts()
    ws.ephemerals.append(
        {
            "channel": conversation.id,
            "user": user,
            "ts": ts,
            "text": text,
            "blocks": blocks,
            "thread_ts": arg_str(args, "thread_ts"),
            "source": "chat.postEphemeral",
        }
    )
    return {"ok": True, "message_ts": ts}


@HANDLERS.register("chat.update", accepts_json=True)
def chat_update(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = ws.visible_conversation(arg_str(args, "channel"))
    message = _own_message(ws, conversation, arg_str(args, "ts"), "cant_update_message")
    has_blocks = args.get("blocks") not in (None, "")
    blocks = checked_blocks(ws, args.get("blocks"))
    text = arg_str(args, "text") or arg_str(args, "markdown_text")
    if text is None and not has_blocks and not args.get("attachments"):
        raise SlackError("no_text")
    if text is not None and len(text) > MAX_TEXT_LENGTH:
        raise SlackError("msg_too_long")
    metadata = _checked_metadata(args)
    # Omitted fields keep their previous value; an empty blocks array removes the blocks.
    if has_blocks:
        message.blocks = blocks or None
    if text is not None:
        message.text = text
    if metadata is not None:
        message.metadata = metadata
    return {
        "ok": True,
        "channel": conversation.id,
        "ts": message.ts,
        "text": message.text,
        "message": ws.message_json(message),
    }


@HANDLERS.register("chat.delete", accepts_json=True)
def chat_delete(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = ws.visible_conversation(arg_str(args, "channel"))
    message = _own_message(ws, conversation, arg_str(args, "ts"), "cant_delete_message")
    ws.delete_message(message)
    return {"ok": True, "channel": conversation.id, "ts": message.ts}


@HANDLERS.register("chat.getPermalink")
def chat_get_permalink(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = ws.visible_conversation(arg_str(args, "channel"))
    message = ws.find_message(conversation.id, arg_str(args, "message_ts") or "")
    if message is None:
        raise SlackError("message_not_found")
    return {
        "ok": True,
        "channel": conversation.id,
        "permalink": ws.permalink(conversation.id, message),
    }


# -- conversations --------------------------------------------------------------------------


@HANDLERS.register("conversations.open", accepts_json=True)
def conversations_open(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    channel = arg_str(args, "channel")
    if channel is not None:
        conversation = ws.visible_conversation(channel)
        if not (conversation.is_im or conversation.is_mpim):
            raise SlackError("method_not_supported_for_channel_type")
        return {
            "ok": True,
            "no_op": True,
            "already_open": True,
            "channel": {"id": conversation.id},
        }
    users = arg_str(args, "users")
    if users is None:
        raise SlackError("users_list_not_supplied")
    user_ids = list(dict.fromkeys(u.strip() for u in users.split(",") if u.strip()))
    if not user_ids:
        raise SlackError("users_list_not_supplied")
    if len(user_ids) > MAX_MPIM_USERS:
        raise SlackError("too_many_users")
    for user_id in user_ids:
        ws.active_human(user_id)
    if len(user_ids) == 1:
        conversation, already_open = ws.open_im(user_ids[0])
        channel_json: dict[str, Any] = {"id": conversation.id, "is_im": True}
        if arg_flag(args, "return_im"):
            channel_json = ws.conversation_json(conversation)
    else:
        conversation, already_open = ws.open_mpim(user_ids)
        channel_json = ws.conversation_json(conversation)
    body: dict[str, Any] = {"ok": True}
    if already_open:
        body.update(no_op=True, already_open=True)
    body["channel"] = channel_json
    return body


@HANDLERS.register("conversations.info")
def conversations_info(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = ws.visible_conversation(arg_str(args, "channel"))
    channel = ws.conversation_json(conversation)
    if arg_flag(args, "include_num_members") and not conversation.is_im:
        channel["num_members"] = len(ws.member_ids(conversation))
    return {"ok": True, "channel": channel}


@HANDLERS.register("conversations.members")
def conversations_members(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = ws.visible_conversation(arg_str(args, "channel"))
    members, next_cursor = _page(ws.member_ids(conversation), args, 100)
    return {"ok": True, "members": members, "response_metadata": {"next_cursor": next_cursor}}


def _history_window(args: dict[str, Any]) -> tuple[Decimal, Decimal | None, bool]:
    oldest = _ts_arg(args, "oldest", "invalid_ts_oldest") or Decimal(0)
    latest = _ts_arg(args, "latest", "invalid_ts_latest")
    return oldest, latest, arg_flag(args, "inclusive")


def _in_window(ts: str, oldest: Decimal, latest: Decimal | None, inclusive: bool) -> bool:
    key = ts_key(ts)
    if inclusive:
        return key >= oldest and (latest is None or key <= latest)
    return key > oldest and (latest is None or key < latest)


@HANDLERS.register("conversations.history")
def conversations_history(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = _readable_conversation(ws, arg_str(args, "channel"))
    oldest, latest, inclusive = _history_window(args)
    include_metadata = arg_flag(args, "include_all_metadata")
    # The channel timeline holds thread parents and broadcasts, not ordinary replies.
    timeline = [
        m
        for m in ws.messages.get(conversation.id, [])
        if (not m.is_reply() or m.reply_broadcast) and _in_window(m.ts, oldest, latest, inclusive)
    ]
    timeline.sort(key=lambda m: ts_key(m.ts), reverse=True)
    page, next_cursor = _page(timeline, args, 100)
    body: dict[str, Any] = {
        "ok": True,
        "messages": [ws.message_json(m, include_metadata=include_metadata) for m in page],
        "has_more": bool(next_cursor),
        "pin_count": 0,
    }
    if next_cursor:
        body["response_metadata"] = {"next_cursor": next_cursor}
    return body


@HANDLERS.register("conversations.replies")
def conversations_replies(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    conversation = _readable_conversation(ws, arg_str(args, "channel"))
    parent = ws.find_message(conversation.id, arg_str(args, "ts") or "")
    if parent is None:
        raise SlackError("thread_not_found")
    root = ws.find_message(conversation.id, parent.thread_ts) if parent.is_reply() else parent
    root = root or parent
    oldest, latest, inclusive = _history_window(args)
    include_metadata = arg_flag(args, "include_all_metadata")
    thread = [root] + [
        m
        for m in ws.messages.get(conversation.id, [])
        if m.is_reply() and m.thread_ts == root.ts and _in_window(m.ts, oldest, latest, inclusive)
    ]
    page, next_cursor = _page(thread, args, 1000)
    body: dict[str, Any] = {
        "ok": True,
        "messages": [ws.message_json(m, include_metadata=include_metadata) for m in page],
        "has_more": bool(next_cursor),
    }
    if next_cursor:
        body["response_metadata"] = {"next_cursor": next_cursor}
    return body


# -- files ----------------------------------------------------------------------------------


@HANDLERS.register("files.getUploadURLExternal")
def files_get_upload_url_external(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    filename = arg_str(args, "filename")
    if filename is None:
        raise invalid_arguments("missing required field: filename")
    if arg_str(args, "length") is None:
        raise invalid_arguments("missing required field: length")
    length = arg_int(args, "length", 0)
    if length < 0:
        raise invalid_arguments("must be a positive integer [json-pointer:/length]")
    upload = UploadedFile(id=ws.new_id("F"), filename=filename, length=length)
    ws.files[upload.id] = upload
    return {"ok": True, "upload_url": f"{ctx.root_url}upload/{upload.id}", "file_id": upload.id}


def file_json(ws: Workspace, upload: UploadedFile) -> dict[str, Any]:
    """The file object Slack returns from files.completeUploadExternal."""
    mimetype = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
    return {
        "id": upload.id,
        "name": upload.filename,
        "title": upload.title,
        "mimetype": mimetype,
        "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "binary",
        "user": ws.bot_user_id,
        "size": len(upload.content or b""),
        "url_private": f"https://files.slack.com/files-pri/{ws.team_id}-{upload.id}/{upload.filename}",
        "permalink": f"https://{ws.domain}.slack.com/files/{ws.bot_user_id}/{upload.id}/{upload.filename}",
    }


@HANDLERS.register("files.completeUploadExternal", accepts_json=True)
def files_complete_upload_external(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    entries = args.get("files")
    if not isinstance(entries, list) or not entries:
        raise invalid_arguments("must provide an array [json-pointer:/files]")
    uploads = []
    for entry in entries:
        upload = ws.files.get(entry.get("id", "")) if isinstance(entry, dict) else None
        if upload is None or upload.content is None or upload.completed:
            raise SlackError("file_not_found")
        uploads.append((upload, entry))
    channel_arg = arg_str(args, "channel_id") or (arg_str(args, "channels") or "").split(",")[0]
    conversation = postable_conversation(ws, channel_arg) if channel_arg else None
    comment = arg_str(args, "initial_comment")
    for upload, entry in uploads:
        upload.title = entry.get("title") or upload.filename
        upload.completed = True
        upload.channel = conversation.id if conversation else None
        upload.initial_comment = comment
    if conversation is not None:
        # Sharing posts a message carrying the files, with the comment as its text.
        ws.add_message(
            Message(
                channel=conversation.id,
                ts=ws.new_ts(),
                text=comment or "",
                user=ws.bot_user_id,
                thread_ts=arg_str(args, "thread_ts"),
                bot_id=ws.bot_id,
                app_id=ws.app_id,
                files=[file_json(ws, upload) for upload, _ in uploads],
            )
        )
    return {"ok": True, "files": [file_json(ws, upload) for upload, _ in uploads]}


# -- response_url ---------------------------------------------------------------------------


def post_to_response_url(ws: Workspace, target: ResponseTarget, body: Any) -> tuple[int, str]:
    """Apply a response_url POST like Slack; returns (HTTP status, plain-text body).

    Like incoming webhooks, errors are plain text with a 4xx status rather than JSON.
    """
    if not isinstance(body, dict):
        return 400, "invalid_payload"
    original = (
        ws.find_message(target.channel_id, target.message_ts)
        if target.channel_id and target.message_ts
        else None
    )
    if arg_flag(body, "delete_original"):
        if original is None:
            return 404, "message_not_found"
        ws.delete_message(original)
        return 200, "ok"
    try:
        blocks = checked_blocks(ws, body.get("blocks"))
    except SlackError as error:
        return 400, error.code
    text = arg_str(body, "text")
    if text is None and not blocks and not body.get("attachments"):
        return 400, "no_text"
    if text is None:
        text = BLOCKS_ONLY_TEXT
    replaces = arg_flag(body, "replace_original")
    if replaces and target.ephemeral and target.channel_id:
        # Slack swaps the ephemeral the click came from; it is the user's newest one here.
        ws.ephemerals.append(
            {
                "channel": target.channel_id,
                "user": target.user_id,
                "ts": ws.new_ts(),
                "text": text,
                "blocks": blocks,
                "thread_ts": None,
                "source": "response_url",
                "replaced_original": True,
            }
        )
        return 200, "ok"
    if replaces:
        if original is None:
            return 404, "message_not_found"
        original.text = text
        original.blocks = blocks
        return 200, "ok"
    if target.channel_id is None:
        return 404, "channel_not_found"
    if body.get("response_type") == "in_channel":
        ws.add_message(
            Message(
                channel=target.channel_id,
                ts=ws.new_ts(),
                text=text,
                user=ws.bot_user_id,
                blocks=blocks,
                thread_ts=arg_str(body, "thread_ts"),
                bot_id=ws.bot_id,
                app_id=ws.app_id,
            )
        )
    else:
        ws.ephemerals.append(
            {
                "channel": target.channel_id,
                "user": target.user_id,
                "ts": ws.new_ts(),
                "text": text,
                "blocks": blocks,
                "thread_ts": arg_str(body, "thread_ts"),
                "source": "response_url",
            }
        )
    return 200, "ok"

"""Files people share with the app (a modal's `file_input`): `files.info`, and the download
from the file's `url_private`, which (as Slack's) hands the file only to a request carrying
the bot token in its Authorization header; without it Slack answers with its sign-in page."""

from __future__ import annotations

import mimetypes
from typing import Any

from devkit.emulator.registry import MethodContext, MethodTable, arg_str
from devkit.emulator.wire import bearer_token
from devkit.emulator.workspace import SlackError, UploadedFile, Workspace

HANDLERS = MethodTable()
DOWNLOAD_PATH = "/files-pri/"
SIGN_IN_PAGE = b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"


def shared_file(ws: Workspace, user_id: str, filename: str, content: bytes) -> UploadedFile:
    """`user_id` uploads `filename` into a modal's file_input (the file is in no channel)."""
    upload = UploadedFile(
        id=ws.new_id("F"), filename=filename, length=len(content), content=content
    )
    upload.title, upload.completed = filename, True
    ws.files[upload.id] = upload
    return upload


def file_object(ws: Workspace, root_url: str, upload: UploadedFile) -> dict[str, Any]:
    """The file as files.info (and a view_submission's file_input state) describes it."""
    url = f"{root_url.rstrip('/')}{DOWNLOAD_PATH}{ws.team_id}-{upload.id}/{upload.filename}"
    return {
        "id": upload.id,
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
        "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "binary",
        "size": len(upload.content or b""),
        "url_private": url,
        "url_private_download": url,
    }


@HANDLERS.register("files.info")
def files_info(ctx: MethodContext, args: dict[str, Any]) -> dict[str, Any]:
    upload = ctx.ws.files.get(arg_str(args, "file") or "")
    if upload is None or not upload.completed or upload.content is None:
        raise SlackError("file_not_found")
    return {"ok": True, "file": file_object(ctx.ws, ctx.root_url, upload)}


def download(
    ws: Workspace, path: str, authorization: str | None, bot_token: str
) -> tuple[int, dict[str, str], bytes, dict[str, Any]]:
    """GET `url_private`: (status, headers, body, what to record)."""
    name = path[len(DOWNLOAD_PATH) :]
    file_id = name.split("/", 1)[0].removeprefix(f"{ws.team_id}-")
    upload = ws.files.get(file_id)
    authorised = bearer_token(authorization) == bot_token
    recorded = {"file": file_id, "authorised": authorised}
    if not authorised:
        return 200, {"Content-Type": "text/html; charset=utf-8"}, SIGN_IN_PAGE, recorded
    if upload is None or upload.content is None:
        return 404, {"Content-Type": "text/plain"}, b"Not Found", recorded
    return 200, {"Content-Type": "application/octet-stream"}, upload.content, recorded

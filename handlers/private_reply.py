"""Answering the person who clicked, and only them, wherever the click came from."""

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient


def tell(body: dict[str, Any], client: WebClient, respond: Respond, text: str) -> None:
    """`text` to the clicker alone: as an ephemeral where the click came with a response_url
    (messages), else in their DM with the app (the Home tab and modals have no response_url,
    and Bolt's respond() raises there)."""
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
    elif user_id := (body.get("user") or {}).get("id"):
        client.chat_postMessage(channel=user_id, text=text)

"""Reading people out of slash-command text (Slack escapes mentions as <@U123|name>)."""

import re

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def mentioned_user_ids(text: str) -> list[str]:
    """User ids mentioned in `text`, in order, as Slack escaped them."""
    return MENTION.findall(text or "")


def strip_mentions(text: str) -> str:
    """`text` without its mentions, whitespace tidied."""
    return " ".join(MENTION.sub(" ", text or "").split())

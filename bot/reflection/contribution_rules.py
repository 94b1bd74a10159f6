"""What a contribution is: its kinds, and guessing the kind from what someone wrote.

`/tandem share <text or link>` guesses the kind (a link is an article, or a tool when it
looks like one; "introduce" is an introduction...), unless the text starts with the kind:
`/tandem share tool https://...`.
"""

import re

from bot.core.mentions import MENTION

KIND_LABELS = {
    "insight": "Insight",
    "article": "Article",
    "tool": "Tool",
    "introduction": "Introduction",
    "review": "Review of their work",
    # Mentors "share real-world scenarios" and "their own missteps and the corrective actions
    # they took" (issue 21): invited about once a quarter (bot/reflection/story_invites.py).
    "story": "A story from my own path",
    "misstep": "A misstep and what I learned",
}
ALIASES = {
    "intro": "introduction",
    "link": "article",
    "idea": "insight",
    "tip": "insight",
    "mistake": "misstep",
}
TEXT_LIMIT = 2000
# Slack sends links typed in a command as <https://url> or <https://url|label>.
SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|([^>]*))?>")
URL = re.compile(r"https?://\S+", re.IGNORECASE)
TOOL_HINTS = re.compile(
    r"github\.com|gitlab\.com|pypi\.org|npmjs\.com|marketplace|chrome\.google\.com/webstore"
    r"|\b(tool|app|plugin|extension|library|cli)\b",
    re.IGNORECASE,
)
INTRO_HINTS = re.compile(r"\b(intro|introduc\w*|you should meet|connect(ed)? you)\b", re.IGNORECASE)
REVIEW_HINTS = re.compile(
    r"\b(reviewed|review of|feedback on your|looked at your|read your|went through your)\b",
    re.IGNORECASE,
)


def plain_links(text: str) -> str:
    """Slack's escaped links as plain URLs (with their label when it says more)."""

    def unwrap(match: re.Match[str]) -> str:
        url, label = match.group(1), match.group(2)
        return f"{label} {url}" if label and label != url else url

    return SLACK_LINK.sub(unwrap, text)


def guess_kind(text: str) -> str:
    """The kind of contribution `text` most likely is."""
    if INTRO_HINTS.search(text):
        return "introduction"
    if REVIEW_HINTS.search(text):
        return "review"
    if TOOL_HINTS.search(text):
        return "tool"
    if URL.search(text):
        return "article"
    return "insight"


def parse_share(args: str, partner_user_id: str | None = None) -> tuple[str | None, str]:
    """(kind named first, if any; the text) from `/tandem share` arguments.

    The partner's mention (which only says which pair is meant) is dropped; anyone else
    mentioned stays, since an introduction names the person introduced.
    """
    text = MENTION.sub(lambda m: " " if m.group(1) == partner_user_id else m.group(0), args or "")
    text = plain_links(re.sub(r"[ \t]+", " ", text)).strip()
    first, _, rest = text.partition(" ")
    named = ALIASES.get(first.lower().rstrip(":"), first.lower().rstrip(":"))
    if named in KIND_LABELS and rest.strip():
        return named, rest.strip()
    return None, text

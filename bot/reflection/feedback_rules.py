"""What feedback can be: its kinds (by the author's role), who may see it, how long it may be."""

from collections.abc import Iterable

KIND_LABELS = {
    "support": "How my mentor can support me better",
    "applied": "How I applied advice and what happened",
    "general": "General feedback",
}
# A mentee can tell their mentor how to support them and how advice worked out; a mentor's
# feedback to a mentee is general (growth they noticed, something to try).
KINDS_BY_ROLE = {
    "mentee": ("support", "applied", "general"),
    "mentor": ("general",),
}
VISIBILITY_LABELS = {
    "partner": "My partner (they get it by DM)",
    "programme": "Only the programme, in aggregate (never shown to my partner)",
}
TEXT_LIMIT = 3000
MIN_TEXT = 3


def kinds_offered(roles: Iterable[str]) -> tuple[str, ...]:
    """The kinds a person may choose when writing in any of `roles`, in a stable order."""
    allowed = {kind for role in roles for kind in KINDS_BY_ROLE.get(role, ())}
    return tuple(kind for kind in KIND_LABELS if kind in allowed)


def text_problem(text: str | None, limit: int = TEXT_LIMIT, what: str = "feedback") -> str | None:
    """Why `text` cannot be saved, or None when it is fine."""
    text = (text or "").strip()
    if len(text) < MIN_TEXT:
        return f"Write a few words of {what}."
    if len(text) > limit:
        return f"Please keep it under {limit} characters (it has {len(text)})."
    return None

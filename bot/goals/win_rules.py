"""Reading a win from `/tandem celebrate` or its modal: which pair, and the words themselves.

A win is a sentence or two in its owner's words ("I gave my first conference talk"), shown to
the partner and, only with consent, in the celebrations channel; so it is kept short, and
people it mentions become plain names there rather than pings.
"""

from bot.core.mentions import MENTION

WIN_LIMIT = 500
EMPTY = (
    "What's the win? Tell me in a sentence, like "
    "`/tandem celebrate I gave my first conference talk` 🎉"
)
EMPTY_FIELD = "Tell me the win in a sentence: a new job, a talk given, a hard conversation."


def parse_win(args: str, partner_user_ids: set[str]) -> tuple[str | None, str]:
    """(the partner named, if any; the win's words) from `/tandem celebrate` arguments.

    The first mention of one of the person's partners says which pair is meant and is dropped;
    anyone else mentioned stays, as a plain @name.
    """
    named: list[str] = []

    def replace(match) -> str:  # type: ignore[no-untyped-def]
        user_id = match.group(1)
        if user_id in partner_user_ids and not named:
            named.append(user_id)
            return " "
        name = match.group(0).partition("|")[2].rstrip(">")
        return f"@{name}" if name else "@someone"

    text = MENTION.sub(replace, args or "")
    return (named[0] if named else None), tidy(text)


def tidy(text: str) -> str:
    """The words with runs of spaces folded and line endings made plain, trimmed."""
    lines = (" ".join(line.split()) for line in (text or "").replace("\r\n", "\n").split("\n"))
    return "\n".join(lines).strip()


def win_problem(text: str) -> str | None:
    """What is wrong with a win's words (None when they will do)."""
    if not text:
        return EMPTY_FIELD
    if len(text) > WIN_LIMIT:
        return f"Please keep the win under {WIN_LIMIT} characters (it has {len(text)})."
    return None

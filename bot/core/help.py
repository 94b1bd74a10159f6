"""The answer to `/tandem help` and to commands Tandem does not know."""

from functools import cache

from bot.core.kit import checked_message, context, header, section
from bot.core.results import Refused, Reply
from bot.core.subcommands import SUBCOMMANDS, suggestion


@cache
def help_message() -> Reply:
    """Every subcommand with a one-line description (an ephemeral reply; built once)."""
    lines = "\n".join(f"`{sub.usage}` — {sub.summary}" for sub in SUBCOMMANDS)
    text = "Tandem keeps your mentorship on track. Here is what you can ask:\n" + lines
    blocks = [
        header("Tandem: your mentorship, kept alive"),
        section(lines),
        context(
            "Start with `/tandem pair @mentor @mentee`. Your pair's notes stay between you two."
        ),
    ]
    return Reply(text=text, blocks=checked_message(blocks))


def unknown_subcommand(name: str) -> Refused:
    """A friendly hint for a subcommand Tandem does not know."""
    guess = suggestion(name)
    hint = f" Did you mean `/tandem {guess}`?" if guess else ""
    shown = name if len(name) <= 40 else name[:37] + "..."
    text = f"I don't know `/tandem {shown}`.{hint} Try `/tandem help` to see everything I can do."
    return Refused(text)

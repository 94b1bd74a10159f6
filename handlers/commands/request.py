"""What a subcommand handler receives: the parsed command and the means to answer it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.results import Result
from handlers.render import Asked, render


@dataclass
class CommandRequest:
    """One `/tandem <subcommand> <args>` invocation."""

    ctx: Tandem
    team_id: str
    user_id: str
    channel_id: str
    args: str
    trigger_id: str
    client: WebClient
    ack: Ack
    respond: Respond
    body: dict[str, Any] = field(default_factory=dict)
    acked: bool = False

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        """Answer privately (ephemeral): in the ack when possible, else via response_url."""
        if not self.acked:
            self.acked = True
            self.ack(text=text, blocks=blocks, response_type="ephemeral")
        else:
            self.respond(
                text=text, blocks=blocks, response_type="ephemeral", replace_original=False
            )

    def answer(self, result: Result) -> None:
        """Show a use case's result (see handlers/render.py)."""
        asked = Asked(self.ctx, self.body, self.ack, self.client, self.respond, self.acked)
        render(asked, result)
        self.acked = asked.acked

    def ack_now(self) -> None:
        """Acknowledge without a message (before opening a modal, which must happen fast)."""
        if not self.acked:
            self.acked = True
            self.ack()


SubcommandHandler = Callable[[CommandRequest], None]

"""What a subcommand handler receives: the parsed command and the request it answers."""

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Result
from handlers.render import Asked, acknowledge


@dataclass
class CommandRequest:
    """One `/tandem <subcommand> <args>` invocation."""

    asked: Asked
    args: str

    @property
    def ctx(self) -> Tandem:
        """The running application."""
        return self.asked.ctx

    @property
    def team_id(self) -> str:
        """The workspace asking."""
        return self.asked.team_id

    @property
    def user_id(self) -> str:
        """Who is asking."""
        return self.asked.user_id

    @property
    def client(self) -> WebClient:
        """The request's Web API client (the asking workspace's token)."""
        return self.asked.client

    def acknowledge(self) -> None:
        """Acknowledge now (before slow work); the answer then goes through response_url."""
        acknowledge(self.asked)


# A subcommand: what to answer, worked out in the one transaction the listener opens.
SubcommandHandler = Callable[[CommandRequest, Session], Result]

"""What a use case hands back, so handlers can always answer, and answer kindly.

Every use case returns a `Result`: a `Reply` (what to show), `Refused` (a request Tandem will
not carry out, with the words to say why) or `FieldErrors` (modal input that needs fixing).
One renderer in the listeners (handlers/render.py) turns it into Slack's answer.
"""

from dataclasses import dataclass
from typing import Any

from bot.core.kit import checked_message, section


@dataclass(frozen=True)
class Refused:
    """A request Tandem will not carry out; `message` is shown to the person as is."""

    message: str


@dataclass(frozen=True)
class FieldErrors:
    """Modal input that needs fixing: block_id → friendly message, for `response_action: errors`."""

    errors: dict[str, str]


@dataclass(frozen=True)
class Upload:
    """A file to share in a conversation. `title` defaults to the file's name; `if_refused`
    is what to say instead when Slack refuses the file (`{error}` is Slack's word for why),
    where a refusal is not a fault of ours."""

    channel: str
    filename: str
    content: str
    comment: str
    title: str | None = None
    if_refused: str | None = None


@dataclass(frozen=True)
class MessageEdit:
    """A message Tandem posted earlier, brought up to date once the change is committed."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class Reply:
    """What the person who asked sees; every part is optional.

    `modal` is opened (after a command or a click) or replaces the submitted modal; `push`
    is stacked onto the modal a click came from, and `refresh` redraws that modal in place;
    `text` (with `blocks`) is said privately; `update` replaces the clicked message, and
    `page` the private list (an ephemeral with pages: a matching round, the pairs at risk,
    notes) the click came from; `upload` shares a file; `edit` brings an earlier message up
    to date; `home` publishes the asker's App Home again (it shows what changed). `queued`
    says the use case queued messages, which should go out now. `instead` says `text` only
    where `update` (or, for a submission answered after its acknowledgement, `modal`) could
    not be made (a click on Home or in an ephemeral, Slack refused the update, the modal was
    closed).
    `replace_original` sends `update` through the click's response_url rather than
    chat.update (Slack's own way to replace the message a button was clicked in).
    """

    text: str | None = None
    blocks: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None
    push: dict[str, Any] | None = None
    refresh: dict[str, Any] | None = None
    page: dict[str, Any] | None = None
    home: bool = False
    update: dict[str, Any] | None = None
    upload: Upload | None = None
    edit: MessageEdit | None = None
    edits: tuple[MessageEdit, ...] = ()  # more earlier messages to bring up to date
    queued: bool = False
    instead: bool = False
    replace_original: bool = False


Result = Reply | Refused | FieldErrors


def in_place(text: str, blocks: list[dict[str, Any]] | None = None, queued: bool = False) -> Reply:
    """The clicked message gives way to `text` (said privately where it can't be replaced)."""
    update = {"text": text, "blocks": blocks or checked_message([section(text)])}
    return Reply(update=update, text=text, instead=True, queued=queued)

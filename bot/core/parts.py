"""What each area contributes to the whole, and how the entry layer hands it around.

Areas never import one another's producers, status lines or Home sections: each offers its
own, `bot.assembly` (the entry layer) puts them in order in one `Parts`, and the running
`Tandem` carries it to whoever draws a shared surface or runs the tick.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.core.membership import Membership

if TYPE_CHECKING:
    from bot.core.context import Tandem

Block = dict[str, Any]

# Looks at the database at `now` and queues whatever became due, returning how many messages
# it queued. Idempotent: outbox keys make a repeated call add nothing.
Producer = Callable[["Tandem", Session, datetime], int]

# Gives pairs the scheduler starts to track the due dates (`next_*_at`) its area's producers
# read, a batch of pairs at a time, keeping any date already set.
DueDates = Callable[[Session, list[Any], datetime], None]

# mrkdwn lines about each live pair of one person as they see it (`/tandem status` and Home),
# by pair id ([] or absent when there is nothing to say). All the person's pairs come at
# once so an area reads them in a constant number of statements, never a few per pair. Only
# the member's own pairs are passed in, so a line may show anything the two of them may see.
# A `StatusLines` may also carry a button.
StatusLine = Callable[[Session, list[Membership], datetime], Mapping[int, list[str]]]

# Blocks shown under a live pair's section on the Home tab (e.g. its stage select).
PairBlocks = Callable[[Membership], list[Block]]

# Blocks in the admins' part of the Home tab: numbers, dates and reasons, never private text.
AdminSection = Callable[[Session, str, datetime], list[Block]]


class StatusLines(list[str]):
    """Status lines with a button to show beside the pair's section (e.g. "Acknowledge v2")."""

    def __init__(self, lines: list[str], button: Block | None = None) -> None:
        super().__init__(lines)
        self.button = button


@dataclass(frozen=True)
class Parts:
    """Every area's contributions, in the order they run or are shown."""

    producers: tuple[Producer, ...] = ()
    due_dates: tuple[DueDates, ...] = ()
    status_lines: tuple[StatusLine, ...] = ()
    pair_blocks: tuple[PairBlocks, ...] = ()
    admin_sections: tuple[AdminSection, ...] = ()
    # event type → who reacts to it, in the publisher's transaction (see bot.core.events)
    subscribers: Mapping[type, tuple[Callable[..., None], ...]] = field(default_factory=dict)

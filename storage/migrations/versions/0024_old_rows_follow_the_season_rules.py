"""old rows follow the season's rules: lapse clocks from the first occurrence, one reminder

Data only, no schema change (issue 17). Rows written by older code:

- `meeting_series.lapse_since` was set when the charter was saved (or the pair was paired), so
  a pair could be told "no meeting logged since 7 December" before its first meeting on
  1 March. Now the clock starts at the series' first occurrence, or the last meeting when
  later: a lapse start before the first occurrence moves up to it (never backwards), its next
  look is then (the producer re-arms it at 2x the cadence), and lapse nudges for the pair still
  waiting in the outbox (they name the old date) expire.
- `pair.reminder_offsets` defaulted to the day before and an hour before; the default is now
  one reminder, the day before. Pairs holding the old default get the new one. People who chose
  their reminders in /tandem preferences (`person_preference.reminders`) keep their choice: it
  overrides the pair's. (A pair that picked "a day and an hour" in the old reminder settings
  cannot be told apart from the default and gets the new one too; either member can choose
  "both" again.)

Downgrade leaves the data as it is: the old values are not kept, and the old code reads the
new ones.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_DEFAULT, NEW_DEFAULT = [1440, 60], [1440]  # minutes before the meeting

series_table = sa.table(
    "meeting_series",
    sa.column("id", sa.Integer()),
    sa.column("pair_id", sa.Integer()),
    sa.column("local_start", sa.String()),
    sa.column("timezone", sa.String()),
    sa.column("lapse_since", UTCDateTime()),
    sa.column("next_lapse_at", UTCDateTime()),
)
pair_table = sa.table(
    "pair",
    sa.column("id", sa.Integer()),
    sa.column("last_meeting_at", UTCDateTime()),
    sa.column("reminder_offsets", sa.JSON()),
)
outbox_table = sa.table("outbox", sa.column("key", sa.String()), sa.column("status", sa.String()))


def _first_occurrence(local_start: str, timezone: str) -> datetime | None:
    """The series' first occurrence as a UTC instant (as bot/meetings/recurrence_rules.py
    reads a wall time: in a gap, the offset before it); None when the row cannot be read."""
    try:
        wall = datetime.fromisoformat(local_start)
        zone = ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError, OSError):
        return None
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _lapse_clocks(bind: sa.Connection) -> None:
    rows = bind.execute(
        sa.select(
            series_table.c.id,
            series_table.c.pair_id,
            series_table.c.local_start,
            series_table.c.timezone,
            series_table.c.lapse_since,
            pair_table.c.last_meeting_at,
        )
        .select_from(series_table.join(pair_table, pair_table.c.id == series_table.c.pair_id))
        .where(series_table.c.lapse_since.is_not(None))
    ).all()
    for series_id, pair_id, local_start, timezone, since, last_met in rows:
        first = _first_occurrence(local_start, timezone)
        if first is None or since >= first:
            continue  # already counted from the first occurrence or a meeting since
        start = max(first, last_met) if last_met is not None else first
        bind.execute(
            series_table.update()
            .where(series_table.c.id == series_id)
            .values(lapse_since=start, next_lapse_at=start)
        )
        # A nudge still waiting names the old start: it is not true any more.
        bind.execute(
            outbox_table.update()
            .where(
                outbox_table.c.status == "pending",
                sa.or_(
                    outbox_table.c.key.startswith(f"meeting.lapse:{pair_id}:"),
                    outbox_table.c.key.startswith(f"meeting.lapse_admin:{pair_id}:"),
                ),
            )
            .values(status="expired")
        )


def _reminder_defaults(bind: sa.Connection) -> None:
    rows = bind.execute(sa.select(pair_table.c.id, pair_table.c.reminder_offsets)).all()
    for pair_id, offsets in rows:
        if offsets is None or sorted(offsets, reverse=True) == OLD_DEFAULT:
            bind.execute(
                pair_table.update()
                .where(pair_table.c.id == pair_id)
                .values(reminder_offsets=NEW_DEFAULT)
            )


def upgrade() -> None:
    bind = op.get_bind()
    _lapse_clocks(bind)
    _reminder_defaults(bind)


def downgrade() -> None:
    pass  # data only: nothing to undo that the old code cannot read

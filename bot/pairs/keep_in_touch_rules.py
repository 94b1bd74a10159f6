"""After graduating, a light line kept open: when the check-ins fall, and who gets them.

Two graduates may each choose "keep in touch", independently. The check-ins go out only once
both have chosen it (a line kept open is a shared wish: one person alone would be writing into
silence, and the other never asked for it), and then only twice: 3 and 6 months after the
end. Nothing else follows: no charter, no reminders, no nudges. A choice made late still gets
the check-ins that are left; one withdrawn stops those not yet sent.
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta

CHECK_IN_MONTHS = (3, 6)


def check_in_at(ended_at: datetime, months: int) -> datetime:
    """The instant of the check-in `months` after the end (same time of day, UTC)."""
    return ended_at + relativedelta(months=months)


def next_check_in(ended_at: datetime, after: datetime) -> datetime | None:
    """The first check-in strictly after `after`, or None when both have passed."""
    for months in CHECK_IN_MONTHS:
        at = check_in_at(ended_at, months)
        if at > after:
            return at
    return None


def months_of(ended_at: datetime, due_at: datetime) -> int:
    """Which check-in (3 or 6) is due at `due_at`: the last one not after it."""
    reached = [m for m in CHECK_IN_MONTHS if check_in_at(ended_at, m) <= due_at]
    return reached[-1] if reached else CHECK_IN_MONTHS[0]


def both_chose(mentor_at: datetime | None, mentee_at: datetime | None) -> bool:
    """Whether the check-ins go out: both members chose to keep in touch."""
    return mentor_at is not None and mentee_at is not None

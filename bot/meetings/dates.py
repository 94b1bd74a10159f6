"""Reading a date someone typed: "2026-04-01", "april 1", "1 Apr", "April 1 2027"."""

from datetime import date, datetime

from dateutil import parser

from bot.core.results import Refused

HINT = "Try a date like `2026-04-01` or `april 1`."


def parse_day(text: str, today: date) -> date | Refused:
    """The date `text` names, read in the person's calendar (`today` is their local date).

    Without a year, the next such date is meant ("april 1" in May is next April).
    """
    text = " ".join((text or "").replace(",", " ").split())
    if not text:
        return Refused(f"Which date? {HINT}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if not any(ch.isalpha() for ch in text):
        # "4/1" is April 1 in one country and January 4 in another: ask for a clear form.
        return Refused(f"I couldn't read “{text[:40]}” as a date. {HINT}")
    try:
        first = parser.parse(text, default=datetime(2000, 1, 1), dayfirst=False)
        second = parser.parse(text, default=datetime(2004, 2, 2), dayfirst=False)
    except (ValueError, OverflowError, parser.ParserError):
        return Refused(f"I couldn't read “{text[:40]}” as a date. {HINT}")
    if first.month != second.month or first.day != second.day:
        return Refused(f"“{text[:40]}” needs a month and a day. {HINT}")
    if first.year == second.year:
        return first.date()
    guess = first.date().replace(year=today.year) if _valid(first, today.year) else None
    if guess is None or guess <= today:
        year = today.year + 1
        if not _valid(first, year):
            return Refused(f"“{text[:40]}” isn't a date in the coming year. {HINT}")
        guess = first.date().replace(year=year)
    return guess


def _valid(parsed: datetime, year: int) -> bool:
    try:
        parsed.date().replace(year=year)
    except ValueError:  # 29 February
        return False
    return True

"""Ids that arrive from outside: button values, option values, private_metadata.

Whoever clicks or submits can craft these, so they are read strictly here, once: only ASCII
digits ("²" passes `str.isdigit()` but not `int()`), and no larger than the id columns hold:
they are INTEGER, 32 bits on PostgreSQL, which answers a larger number with an error instead
of "no such row" (SQLite's 64 bits are wider). Anything else is None, which every caller
answers as "couldn't find that".
"""

import json
import re
from typing import Any

_ID = re.compile(r"[0-9]{1,10}")
_LARGEST = 2**31 - 1  # PostgreSQL's INTEGER


def parse_id(value: object) -> int | None:
    """A database id from a string of ASCII digits (or a JSON int), up to INTEGER's largest."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= _LARGEST else None
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        number = int(value.strip())
        return number if number <= _LARGEST else None
    return None


def parse_ids(value: object) -> set[int]:
    """The sane ids in a list from outside (anything that is not a list holds none)."""
    if not isinstance(value, list):
        return set()
    return {n for n in map(parse_id, value) if n is not None}


def read_metadata(view: object) -> dict[str, Any]:
    """A modal's private_metadata as a dict ({} when missing, not JSON, or not an object)."""
    raw = view.get("private_metadata") if isinstance(view, dict) else None
    if not isinstance(raw, str) or not raw:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, TypeError, RecursionError):  # huge numbers and deep nesting raise these
        return {}
    return data if isinstance(data, dict) else {}


def metadata_id(view: object, key: str) -> int | None:
    """The id stored under `key` in a modal's private_metadata, if it is a sane one."""
    return parse_id(read_metadata(view).get(key))

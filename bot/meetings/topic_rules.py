"""Which focus area to suggest next: the one the pair discussed least recently."""

from collections.abc import Iterable, Sequence
from datetime import datetime


def suggest_topic(
    focus_areas: Sequence[str], discussed: Iterable[tuple[datetime, Sequence[str]]]
) -> str | None:
    """The charter focus area least recently discussed, or None when the charter names none.

    `discussed` holds (when a meeting was, the focus areas its notes ticked). Areas never
    discussed come first, in charter order; ties keep charter order too, so the suggestion
    is stable. Names match case-insensitively, ignoring surrounding spaces, because the
    charter may have been edited since the notes were written.
    """
    areas = [area for area in focus_areas if area and area.strip()]
    if not areas:
        return None
    last_seen: dict[str, datetime] = {}
    for when, covered in discussed:
        for name in covered:
            key = name.strip().casefold()
            if key not in last_seen or when > last_seen[key]:
                last_seen[key] = when
    never = [area for area in areas if area.strip().casefold() not in last_seen]
    if never:
        return never[0]
    return min(areas, key=lambda area: last_seen[area.strip().casefold()])

"""Each person's choice of meeting reminders: the day before, an hour before, both, or none.

Shared by the preferences form (bot/delivery) and the reminder producer (bot/meetings). A
person who chose nothing gets the pair's reminder settings, which default to one reminder,
the day before, with the agenda (time to add to it and to prepare).
"""

DAY_BEFORE, HOUR_BEFORE = 1440, 60  # minutes before the meeting
# choice → how people call it, and the reminders it means (minutes before, latest last)
CHOICES = {
    "day_before": "The day before",
    "hour_before": "An hour before",
    "both": "Both: the day before and an hour before",
    "none": "None",
}
_OFFSETS = {
    "day_before": [DAY_BEFORE],
    "hour_before": [HOUR_BEFORE],
    "both": [DAY_BEFORE, HOUR_BEFORE],
    "none": [],
}
PAIR_DEFAULT = [DAY_BEFORE]


def offsets_for(choice: str | None, pair_offsets: list[int]) -> list[int]:
    """The reminders one person gets: their own choice, else the pair's settings."""
    return list(_OFFSETS[choice]) if choice in _OFFSETS else list(pair_offsets)


def any_offsets(pair_offsets: list[int]) -> list[int]:
    """Every reminder someone in the pair may get (the pair's, and any personal choice)."""
    return sorted({*pair_offsets, DAY_BEFORE, HOUR_BEFORE}, reverse=True)

"""Outbox kinds and keys of meeting notifications: deterministic, so each goes out once.

A meeting's keys carry its `revision`, bumped whenever its time changes, so a moved meeting
gets reminders of its own even though the old ones were already queued (or cancelled).
"""

from datetime import datetime

from storage.models import Meeting

REMINDER = "meeting.reminder"
FOLLOWUP = "meeting.followup"
LAPSE = "meeting.lapse"
LAPSE_ADMIN = "meeting.lapse_admin"
SERIES = "meeting.series"
MOVED = "meeting.moved"
SKIPPED = "meeting.skipped"
PAUSED = "meeting.paused"
RESUMED = "meeting.resumed"
LOGGED = "meeting.logged"


def _stamp(instant: datetime) -> str:
    return instant.strftime("%Y%m%dT%H%M%SZ")


def meeting_prefix(kind: str, meeting: Meeting) -> str:
    """The start of every `kind` key of `meeting`, whatever its revision."""
    return f"{kind}:{meeting.pair_id}:{meeting.id}."


def reminder_key(meeting: Meeting, offset_minutes: int, user_id: str) -> str:
    """One person's reminder `offset_minutes` before one version of a meeting."""
    return f"{meeting_prefix(REMINDER, meeting)}{meeting.revision}:{offset_minutes}:{user_id}"


def clock_notice_key(meeting: Meeting, user_id: str) -> str:
    """One person's word that a clock change moved this version of a meeting (for someone
    who chose no reminders; a reminder says it itself). A reminder's kind, so moving or
    closing the meeting withdraws it with the reminders."""
    return f"{meeting_prefix(REMINDER, meeting)}{meeting.revision}:clock:{user_id}"


def followup_key(meeting: Meeting) -> str:
    """The "did you meet?" question for one version of a meeting."""
    return f"{meeting_prefix(FOLLOWUP, meeting)}{meeting.revision}"


def followup_again_key(meeting: Meeting) -> str:
    """The one time "did you meet?" is asked again, when neither member answered."""
    return f"{followup_key(meeting)}:again"


def followup_keys_ever(meeting: Meeting) -> list[str]:
    """Every "did you meet?" (and re-ask) key this meeting may have had, one per revision."""
    prefix = meeting_prefix(FOLLOWUP, meeting)
    return [f"{prefix}{r}{again}" for r in range(meeting.revision + 1) for again in ("", ":again")]


def moved_key(meeting: Meeting) -> str:
    """The notice that a meeting moved (to the time of this revision)."""
    return f"{meeting_prefix(MOVED, meeting)}{meeting.revision}"


def skipped_key(meeting: Meeting) -> str:
    """The notice that a meeting will not take place."""
    return f"{SKIPPED}:{meeting.pair_id}:{meeting.id}"


def logged_key(meeting: Meeting) -> str:
    """The notice that a member logged a meeting."""
    return f"{LOGGED}:{meeting.pair_id}:{meeting.id}"


def _times(times: int, first: int) -> str:
    # The first step keeps the key it had when each lapse was nudged only once.
    return "" if times == first else f":{times}x"


def lapse_key(pair_id: int, since: datetime, times: int) -> str:
    """The pair's nudge for the lapse that began at `since`, once it lasted `times` cadences."""
    return f"{LAPSE}:{pair_id}:{_stamp(since)}{_times(times, 2)}"


def lapse_admin_key(pair_id: int, since: datetime, admin_user_id: str, times: int) -> str:
    """One admin's note about the lapse that began at `since`, at `times` cadences."""
    return f"{LAPSE_ADMIN}:{pair_id}:{_stamp(since)}:{admin_user_id}{_times(times, 4)}"


def series_key(pair_id: int, series_id: int, sequence: int) -> str:
    """The announcement of one version of the pair's rhythm."""
    return f"{SERIES}:{pair_id}:{series_id}.{sequence}"


def pause_key(pair_id: int, kind: str, at: datetime) -> str:
    """The notice of a pause or resume at `at`."""
    return f"{kind}:{pair_id}:{_stamp(at)}"

"""When a mentor is invited to share a story from their own path or a misstep.

The guides ask mentors to "share real-world scenarios" and "their own missteps and the
corrective actions they took". Tandem invites the mentor about once a quarter (every
STORY_EVERY): the first time STORY_EVERY after the pair began, then STORY_EVERY after the last
invitation. Only a pair that has met since the last invitation (or at all, for the first) is
invited: an invitation to a pair that no longer meets is noise (the lapse nudges speak to
them); such a pair is looked at again every NOT_MET_LOOK until it meets.

The invitation rides in the mentor's next meeting reminder (no DM of its own: every message
must earn its place); only a mentor who got no reminder carrying it within RIDE_ALONG of it
falling due (no reminders chosen, no meeting soon) gets it as a DM of its own: the producer
asks the same rule with `wait=RIDE_ALONG`.

Pure functions: no session, no Slack.
"""

from datetime import datetime, timedelta

STORY_EVERY = timedelta(weeks=13)
NOT_MET_LOOK = timedelta(days=7)
# How long a due invitation waits for a meeting reminder to carry it before it goes alone.
RIDE_ALONG = timedelta(days=8)


def story_invite_due(
    now: datetime,
    activated_at: datetime | None,
    last_met_at: datetime | None,
    invited_at: datetime | None,
    wait: timedelta = timedelta(0),
) -> tuple[bool, datetime]:
    """(whether to invite the mentor now, when to look again): due a quarter on, and only
    once it has been due for `wait` (the reminder's chance to carry it)."""
    due = (invited_at or activated_at or now) + STORY_EVERY + wait
    if now < due:
        return False, due
    if last_met_at is None or (invited_at is not None and last_met_at <= invited_at):
        return False, now + NOT_MET_LOOK
    return True, now + STORY_EVERY + wait

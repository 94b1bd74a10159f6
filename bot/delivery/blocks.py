"""Ids other surfaces need: the preferences modal and its button (Home), and the Snooze
buttons Tandem adds to every nudge (their value is the message's outbox key)."""

CALLBACK = "prefs.save"
OPEN_ACTION = "prefs.open"
QUIET_START, QUIET_END = "prefs.quiet_start", "prefs.quiet_end"
MUTED, SNOOZE_KIND, SNOOZE_FOR, CLEAR = "prefs.muted", "prefs.snooze", "prefs.for", "prefs.clear"
REMINDERS = "prefs.reminders"
SNOOZE_ACTION_PREFIX = "nudge.snooze."

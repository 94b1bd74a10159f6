"""The charter: a living, co-signed document; each save is a version the partner acknowledges."""

# Days after activation on which a pair with no charter is nudged to write one (bot/charter/
# jobs.py); the programme's at-risk list counts a missing charter only after the last of them.
NUDGE_DAYS = (3, 10)

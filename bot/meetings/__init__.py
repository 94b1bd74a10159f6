"""Meetings on a rhythm: the charter's cadence as a recurrence, nudges before, "did you meet?"
after, notes, agenda, pauses, and the lapse watch."""

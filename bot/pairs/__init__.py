"""Pairs: proposal with consent, activation, the group DM, `/tandem status` and App Home."""

"""Pairs: proposal with consent, activation and the group DM."""

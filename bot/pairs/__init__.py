"""Pairs: proposal with consent, activation, the living charter, and finding a person's pairs."""

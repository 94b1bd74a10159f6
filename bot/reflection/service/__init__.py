"""Reflection use cases: feedback, giving back, reviews, stages, ending well, and history."""

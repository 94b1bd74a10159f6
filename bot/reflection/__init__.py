"""Reflection: feedback both ways, giving back, periodic reviews, health, stages and ending well."""

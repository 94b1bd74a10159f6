"""Tandem's schema, engine, sessions and queries."""

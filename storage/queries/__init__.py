"""Query functions by area: each takes a session and returns model objects."""

"""Surfaces shared by every area: the App Home tab and `/tandem status`, composed from what
each area offers through `Parts` (bot.core.context); the tick refreshes Homes through them."""

"""Pairing's scheduled work: greet pairs whose group DM could not be opened at first."""

from bot.pairs.group_dm import produce_pair_homes

PRODUCERS = (produce_pair_homes,)

"""The charter: a living, co-signed document; each save is a version the partner acknowledges."""

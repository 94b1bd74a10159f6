"""Block Kit (and the terminal's text) for the programme's surfaces."""

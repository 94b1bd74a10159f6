"""Block Kit for reflection: modals, DMs and the pieces status and App Home can show."""

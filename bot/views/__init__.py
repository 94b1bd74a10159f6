"""Block Kit builders, one module per surface, checked against Slack's limits before sending."""

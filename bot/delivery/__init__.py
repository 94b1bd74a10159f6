"""Getting messages to Slack exactly once: the outbox, the sender and the scheduler tick."""

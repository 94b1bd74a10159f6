"""Block Kit for goals: messages in the pair's group DM, celebrations, and the goal modals."""

"""Goals: set with milestones, moved by progress updates, completed, paused or dropped, and
celebrated (with the owner's consent before anything reaches the programme's channel)."""

"""The shared core every area stands on: settings, clock, the running context, people,
membership of a pair, results a user can cause, and Block Kit pieces checked against Slack."""

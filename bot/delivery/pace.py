"""Slack's pace within one delivery pass: who asked us to wait, and until when.

Slack limits chat.postMessage per channel (about one a second) and every method per
workspace; beyond a limit it answers 429 with Retry-After. Its answer does not say which limit
was hit, so the pass reads it from what it sees: a 429 holds back that channel; a second 429
from another channel of the same workspace while the first is still waiting means the
workspace's budget is spent, and the whole workspace waits, as it does at once when the
channel had no post in the last second (its own limit cannot be the one). Each workspace
waits alone: another workspace's answers never hold it back. Waits are real seconds (a pass
keeps going while it waits), unlike the pass's `now`, which a test may pin.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Retry-After up to this long is waited out within the pass; a longer one sends the rows
# back to the outbox for a later pass (Slack asking for minutes is an outage, not pacing).
MAX_INLINE_WAIT = 10.0
# Slack's per-channel limit is about a post a second: a channel quieter than this for longer
# was not refused for its own sake.
CHANNEL_SECOND = 1.0


@dataclass
class Pace:
    """When each workspace, and each channel in it, may be posted to again (monotonic s)."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    teams: dict[str, float] = field(default_factory=dict)
    channels: dict[tuple[str, str], float] = field(default_factory=dict)
    posted: dict[tuple[str, str], float] = field(default_factory=dict)  # last post, by channel
    waited: float = 0.0  # seconds this pass spent waiting for Slack
    limited: int = 0  # 429 answers seen

    def ready_at(self, team_id: str, channel: str) -> float:
        """The earliest moment a call for `channel` in `team_id` may go."""
        return max(self.teams.get(team_id, 0.0), self.channels.get((team_id, channel), 0.0))

    def is_ready(self, team_id: str, channel: str) -> bool:
        """Whether a call for `channel` may go now."""
        return self.ready_at(team_id, channel) <= self.clock()

    def sent(self, team_id: str, channel: str) -> None:
        """A post to `channel` went through."""
        self.posted[(team_id, channel)] = self.clock()

    def rate_limited(self, team_id: str, channel: str | None, retry_after: float) -> None:
        """Slack answered 429: hold the channel back (or, with no channel, when another
        channel of the workspace is waiting too, or when the channel had no post in the last
        second, the whole workspace)."""
        self.limited += 1
        now = self.clock()
        until = now + retry_after
        others_waiting = any(
            team == team_id and other != channel and ready > now
            for (team, other), ready in self.channels.items()
        )
        quiet = channel is not None and now - self.posted.get((team_id, channel), -1e9) > (
            CHANNEL_SECOND
        )
        if channel is None or others_waiting or quiet:
            self.teams[team_id] = max(self.teams.get(team_id, 0.0), until)
        if channel is not None:
            key = (team_id, channel)
            self.channels[key] = max(self.channels.get(key, 0.0), until)

    def wait_until(self, moment: float) -> None:
        """Sleep until `moment` (monotonic), counting the time waited."""
        gap = moment - self.clock()
        if gap > 0:
            self.sleep(gap)
            self.waited += gap

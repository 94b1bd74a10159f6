"""Publishing Home again after a change that concerns the person, debounced and paced.

Any message queued about a pair marks both members' Home (storage.queries.home): one row
per person however many changes pile up. The delivery worker drains the marks after each
pass: it takes a mark (deleting it first, so a change made meanwhile marks again) and
publishes the Home as it is now. Only people who have opened Home at least once are marked,
and each workspace gets at most PUBLISHES_PER_MINUTE publishes a minute from this process,
well under views.publish's Tier 4 limit (100+ a minute): 10,000 people changing at once are
published over the following minutes, never in a burst Slack would refuse.
"""

import logging
import threading
import time
from collections import deque
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.core.context import Tandem
from bot.surfaces.home_tab import home_view
from storage.queries.home import due_homes, mark_home, take_home

log = logging.getLogger(__name__)

PUBLISHES_PER_MINUTE = 50
BATCH = 25


class _Pace:
    """At most PUBLISHES_PER_MINUTE publishes per workspace in any minute (this process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: dict[str, deque[float]] = {}

    def take(self, team_id: str) -> bool:
        now = time.monotonic()
        with self._lock:
            sent = self._sent.setdefault(team_id, deque())
            while sent and now - sent[0] > 60:
                sent.popleft()
            if len(sent) >= PUBLISHES_PER_MINUTE:
                return False
            sent.append(now)
            return True


PACE = _Pace()


def publish_due_homes(ctx: Tandem, now: datetime | None = None) -> int:
    """Publish the Homes marked as changed; returns how many were published."""
    now = now or ctx.clock.now()
    with ctx.session() as session:
        marks = [(m.team_id, m.user_id) for m in due_homes(session, now, BATCH)]
    published = 0
    for team_id, user_id in marks:
        if not PACE.take(team_id):
            continue  # this workspace's budget for the minute is spent: the mark waits
        with ctx.session() as session:
            if not take_home(session, team_id, user_id):
                continue  # another sender took it
        client = ctx.delivery_client(team_id)
        try:
            client.views_publish(user_id=user_id, view=home_view(ctx, client, team_id, user_id))
            published += 1
        except SlackApiError as error:
            log.warning("Home for %s not published: %s", user_id, error.response.get("error"))
            if error.response.status_code == 429 or error.response.status_code >= 500:
                with ctx.session() as session:
                    mark_home(session, team_id, user_id, now)  # try again next pass
    return published

"""Sharing a win in the programme's celebrations channel: consent first, exactly once, and a
failure the owner hears about and can retry.

The announcement goes through the outbox like every message (exactly once, retried when Slack
is slow). The outbox records a permanent refusal (not_in_channel, is_archived...) on its row;
`produce_share_outcomes`, run by the scheduler, turns that into a DM to the owner saying how to fix
it, with a Retry button that queues the announcement again under a new key.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.results import Refused, Reply, Result
from bot.delivery.service import dm_member
from bot.goals.access import NOT_YOURS
from bot.goals.blocks import cheers
from bot.goals.blocks.messages import user_text
from bot.goals.occasion_sharing import OCCASIONS, decide_occasion
from bot.goals.share_asking import (
    Shareable,
    announce_key,
    ask_to_share,
    decide_together,
    queue_announcement,
    settled_answer,
)
from bot.goals.share_consent import celebrations_channel
from storage.models import (
    Celebration,
    Goal,
    Milestone,
    OutboxStatus,
    Pair,
    Person,
    PersonalWin,
)
from storage.models.goals import ShareStatus
from storage.queries.goals import celebrations_with_status, outbox_rows, update_celebration_if
from storage.queries.pairs import pair_people

FAILED_KIND = "celebrate.failed"
WIN_KIND = "win"  # the Celebration kind of a win outside any goal


@dataclass(frozen=True)
class Win:
    """A celebrated milestone or goal, or a win outside any goal, with the people it involves."""

    celebration: Celebration
    pair: Pair
    goal: Goal | None  # None: a win outside any goal (`/tandem celebrate`), told in `story`
    milestone: Milestone | None
    owner: Person
    mentor: Person
    mentee: Person
    story: str = ""

    def announcement(self) -> cheers.Announcement:
        """What the channel would be told."""
        if self.goal is None:
            return cheers.win_announcement(self.story, self.owner, self.mentor, self.mentee)
        return cheers.announcement(self.goal, self.milestone, self.owner, self.mentor, self.mentee)

    def what(self) -> str:
        """The win in a few words: "*Write the design doc*"."""
        if self.goal is None:
            return f"*{user_text(self.story, 150)}*"
        return f"*{user_text((self.milestone or self.goal).title, 150)}*"


def load_win(session: Session, celebration: Celebration) -> Win | None:
    """The goal, milestone or personal win a celebration is about (None for anniversaries
    and streaks)."""
    if celebration.kind == WIN_KIND:
        return _personal_win(session, celebration)
    subject_id = parse_id(celebration.subject_key)
    if celebration.kind not in ("milestone", "goal") or subject_id is None:
        return None
    milestone = session.get(Milestone, subject_id) if celebration.kind == "milestone" else None
    goal_id = milestone.goal_id if milestone is not None else subject_id
    goal = session.get(Goal, goal_id)
    pair = session.get(Pair, celebration.pair_id)
    if goal is None or pair is None or goal.pair_id != pair.id:
        return None
    owner, (mentor, mentee) = session.get(Person, goal.owner_id), pair_people(session, pair)
    if owner is None:
        return None
    return Win(celebration, pair, goal, milestone, owner, mentor, mentee)


def _personal_win(session: Session, celebration: Celebration) -> Win | None:
    """A win outside any goal, as recorded by `/tandem celebrate` (bot/goals/wins.py)."""
    subject_id = parse_id(celebration.subject_key)
    win = session.get(PersonalWin, subject_id) if subject_id is not None else None
    pair = session.get(Pair, celebration.pair_id)
    if win is None or pair is None or win.pair_id != pair.id:
        return None
    owner, (mentor, mentee) = session.get(Person, win.owner_id), pair_people(session, pair)
    if owner is None:
        return None
    return Win(celebration, pair, None, None, owner, mentor, mentee, story=win.text)


# Which wins can be shared, by Celebration kind: each loads its `Shareable` (None when its
# subject is gone). A new kind of win (e.g. one outside any goal) adds its loader here and
# asks with `share_asking.ask_to_share`; the clicks and the failure DMs then work for it too.
SHAREABLE_KINDS: dict[str, Callable[[Session, Celebration], Shareable | None]] = {
    "milestone": load_win,
    "goal": load_win,
    WIN_KIND: load_win,
}


def shareable_for(session: Session, celebration: Celebration) -> Shareable | None:
    """The win a celebration is about, whatever its kind (None for occasions, or when gone)."""
    loader = SHAREABLE_KINDS.get(celebration.kind)
    return loader(session, celebration) if loader is not None else None


def offer_share(ctx: Tandem, session: Session, win: Win, now: datetime) -> str:
    """Share a goal or milestone win as the charter says (asking both when it says "ask");
    returns the note for the pair's cheer. See `share_asking.ask_to_share`."""
    return ask_to_share(ctx, session, win.pair, win, now)


def decide_share(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    celebration_id: int | None,
    share: bool,
    now: datetime,
) -> Result:
    """A member's answer (Share, Don't share), or the owner's Retry after a failure; the
    message they clicked in then says what happens. While asked, each member answers for
    themselves and it is shared once both said yes; a second click changes nothing."""
    celebration = session.get(Celebration, celebration_id) if celebration_id else None
    if celebration is not None and celebration.team_id == team_id and celebration.kind in OCCASIONS:
        said = decide_occasion(session, celebration, user_id, share, now)
        if isinstance(said, Refused):
            return said
        return Reply(update=cheers.consent_answered(said), queued=True)
    win = (
        shareable_for(session, celebration)
        if celebration and celebration.team_id == team_id
        else None
    )
    if win is None or user_id not in (win.mentor.user_id, win.mentee.user_id):
        return Refused(NOT_YOURS)
    if win.celebration.share_status == ShareStatus.ASKED:
        said = decide_together(session, win, user_id, share, now)
        if isinstance(said, Refused):
            return said
        return Reply(update=cheers.consent_answered(said), queued=True)
    if win.celebration.share_status != ShareStatus.FAILED:
        return Reply(update=cheers.consent_answered(settled_answer(win.celebration)))
    # After a failure both had agreed to share it: the owner, who was told, retries or stops.
    if win.owner.user_id != user_id:
        return Refused(f"<@{win.owner.user_id}> was told what went wrong, so they decide.")
    values: dict[str, object] = {"share_status": ShareStatus.DECLINED}
    if share:
        channel = celebrations_channel(ctx, session, win.pair)
        if channel is None:
            return Refused(
                "There's no celebrations channel set up any more, so nothing was shared."
            )
        values = {
            "share_status": ShareStatus.SHARING,
            "share_attempts": Celebration.share_attempts + 1,
            "channel_id": channel,  # a retry goes to the channel configured now
            "error": None,
        }
    # A conditional update: of two clicks at once, exactly one changes anything.
    changed = update_celebration_if(session, celebration.id or 0, (ShareStatus.FAILED,), values)
    session.refresh(win.celebration)
    if changed and share:
        queue_announcement(session, win, now)
    return Reply(update=cheers.consent_answered(settled_answer(win.celebration)), queued=True)


def produce_share_outcomes(ctx: Tandem, session: Session, now: datetime) -> int:
    """Record announcements the outbox has sent, and tell owners about those Slack refused.

    Returns how many failure DMs were queued. Idempotent: a second run finds nothing new.
    """
    in_flight = celebrations_with_status(session, ShareStatus.SHARING)
    rows = outbox_rows(session, (announce_key(c) for c in in_flight))
    queued = 0
    for celebration in in_flight:
        row = rows.get(announce_key(celebration))
        if row is None:
            continue
        if row.status == OutboxStatus.SENT:
            celebration.share_status = ShareStatus.SHARED
            celebration.channel_id = row.sent_channel or celebration.channel_id
            celebration.message_ts = row.sent_ts
        elif row.status in (OutboxStatus.FAILED, OutboxStatus.EXPIRED):
            celebration.share_status = ShareStatus.FAILED
            celebration.error = (row.last_error or "unknown error")[:200]
            win = shareable_for(session, celebration)
            if win is not None:
                queued += dm_member(
                    session,
                    win.owner.user_id,
                    team_id=celebration.team_id,
                    key=f"{FAILED_KIND}:{celebration.pair_id}:{celebration.id}:"
                    f"{celebration.share_attempts}",
                    kind=FAILED_KIND,
                    pair_id=celebration.pair_id,
                    deliver_after=now,
                    **cheers.share_failed(
                        celebration.id or 0,
                        celebration.channel_id or "",
                        row.last_error or "",
                        win.what(),
                    ),
                )
        else:
            continue
        session.add(celebration)
    return queued

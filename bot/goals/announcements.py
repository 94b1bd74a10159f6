"""Sharing a win in the programme's celebrations channel: consent first, exactly once, and a
failure the owner hears about and can retry.

The announcement goes through the outbox like every message (exactly once, retried when Slack
is slow). The outbox records a permanent refusal (not_in_channel, is_archived...) on its row;
`produce_share_outcomes`, run by the scheduler, turns that into a DM to the owner saying how to fix
it, with a Retry button that queues the announcement again under a new key.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.results import Refused, Reply, Result
from bot.delivery.service import dm_member, enqueue
from bot.goals.access import NOT_YOURS
from bot.goals.blocks import cheers
from bot.goals.blocks.messages import user_text
from bot.goals.occasion_sharing import OCCASIONS, decide_occasion
from bot.goals.share_consent import celebrations_channel, sharing_mode
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

ANNOUNCE_KIND = "celebrate.announce"
ASK_KIND = "celebrate.ask"
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


def announce_key(celebration: Celebration) -> str:
    """The outbox key of the current attempt to announce `celebration`."""
    return f"{ANNOUNCE_KIND}:{celebration.pair_id}:{celebration.id}:{celebration.share_attempts}"


def _queue_announcement(session: Session, win: Win, now: datetime) -> None:
    content = win.announcement().message()
    # No pair_id: pausing or ending the pair later must not withdraw a win they agreed to share.
    enqueue(
        session,
        team_id=win.pair.team_id,
        key=announce_key(win.celebration),
        kind=ANNOUNCE_KIND,
        channel=win.celebration.channel_id or "",
        text=content["text"],
        blocks=content["blocks"],
        deliver_after=now,
    )


def offer_share(ctx: Tandem, session: Session, win: Win, now: datetime) -> str:
    """Ask the owner (or share at once, or not at all, as the charter says) and return a note
    for the pair saying which it was ("" when there is nothing to say)."""
    celebration = win.celebration
    mode = sharing_mode(ctx, session, win.pair, celebration)
    channel = celebration.channel_id
    if not mode:
        return ""
    if mode == "always":
        _queue_announcement(session, win, now)
        return f"Your charter says to always share wins, so it's going to <#{channel}> too."
    celebration.share_status = ShareStatus.ASKED
    session.add(celebration)
    session.flush()
    dm_member(
        session,
        win.owner.user_id,
        key=f"{ASK_KIND}:{win.pair.id}:{celebration.id}",
        kind=ASK_KIND,
        pair=win.pair,
        deliver_after=now,
        **cheers.consent_request(celebration.id or 0, channel, win.announcement(), win.what()),
    )
    return f"I've asked <@{win.owner.user_id}> whether to share it in <#{channel}>."


def _answer_for(celebration: Celebration) -> str:
    """What the consent message says once the question is settled."""
    channel = f"<#{celebration.channel_id}>" if celebration.channel_id else "the channel"
    return {
        ShareStatus.SHARING: f"🎉 Sharing it in {channel} now. Thank you for letting others "
        "celebrate with you!",
        ShareStatus.SHARED: f"🎉 Shared in {channel}.",
        ShareStatus.DECLINED: "Okay, it stays between the two of you. Congratulations again!",
        ShareStatus.FAILED: f"I couldn't post in {channel} yet; I've sent you what to do.",
        ShareStatus.NO_CHANNEL: "There's no celebrations channel set up, so nothing to share.",
        ShareStatus.NEVER: "Your charter says not to share wins, so nothing was shared.",
    }.get(ShareStatus(celebration.share_status), "Nothing changed.")


def decide_share(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    celebration_id: int | None,
    share: bool,
    now: datetime,
) -> Result:
    """The owner's answer (Share, Don't share, or Retry after a failure); the message they
    clicked in then says what happens. Only the goal's owner decides; a second click changes
    nothing."""
    celebration = session.get(Celebration, celebration_id) if celebration_id else None
    if celebration is not None and celebration.team_id == team_id and celebration.kind in OCCASIONS:
        said = decide_occasion(session, celebration, user_id, share, now)
        if isinstance(said, Refused):
            return said
        return Reply(update=cheers.consent_answered(said), queued=True)
    win = load_win(session, celebration) if celebration and celebration.team_id == team_id else None
    if win is None or user_id not in (win.mentor.user_id, win.mentee.user_id):
        return Refused(NOT_YOURS)
    if win.owner.user_id != user_id:
        return Refused(f"It's <@{win.owner.user_id}>'s win, so they decide whether to share it.")
    settled_from = (ShareStatus.ASKED, ShareStatus.FAILED)
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
    changed = update_celebration_if(session, celebration.id or 0, settled_from, values)
    session.refresh(celebration)
    if changed and share:
        _queue_announcement(session, win, now)
    return Reply(update=cheers.consent_answered(_answer_for(celebration)), queued=True)


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
            win = load_win(session, celebration)
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

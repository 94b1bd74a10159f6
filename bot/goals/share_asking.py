"""Asking a pair whether to share a win in the programme's celebrations channel.

The charter's celebrations option says always, never, or "ask us each time". Asked, a win is
a thing the two of them share: both members are asked, and it is posted only once both said
yes. Either "Don't share" keeps it between them; when it is the partner who declined, the
owner is told kindly, without a reason asked of anyone. Exactly once, through the outbox.

The entry point is `ask_to_share(ctx, session, pair, item, now)`: any kind of win can use it
(goal and milestone wins today; a win outside any goal tomorrow) by offering a `Shareable`,
and the click lands in `decide_together` for it.
"""

from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Refused
from bot.delivery.service import dm_member, enqueue
from bot.goals.access import NOT_YOURS
from bot.goals.blocks import cheers
from bot.goals.share_consent import sharing_mode
from storage.models import Celebration, Pair, Person
from storage.models.goals import ShareStatus
from storage.queries.goals import update_celebration_if

ANNOUNCE_KIND = "celebrate.announce"
ASK_KIND = "celebrate.ask"
DECLINED_KIND = "celebrate.declined"


class Shareable(Protocol):
    """A win the pair may share: its Celebration row (status, channel, who said yes), whose
    win it is, both members, what the channel would be told, and the win in a few words."""

    @property
    def celebration(self) -> Celebration: ...
    @property
    def owner(self) -> Person: ...
    @property
    def mentor(self) -> Person: ...
    @property
    def mentee(self) -> Person: ...
    def announcement(self) -> cheers.Announcement: ...
    def what(self) -> str: ...


def announce_key(celebration: Celebration) -> str:
    """The outbox key of the current attempt to announce `celebration`."""
    return f"{ANNOUNCE_KIND}:{celebration.pair_id}:{celebration.id}:{celebration.share_attempts}"


def queue_announcement(session: Session, item: Shareable, now: datetime) -> None:
    """Queue the channel post for `item` under its current attempt's key."""
    content = item.announcement().message()
    # No pair_id: pausing or ending the pair later must not withdraw a win they agreed to share.
    enqueue(
        session,
        team_id=item.celebration.team_id,
        key=announce_key(item.celebration),
        kind=ANNOUNCE_KIND,
        channel=item.celebration.channel_id or "",
        text=content["text"],
        blocks=content["blocks"],
        deliver_after=now,
    )


def ask_to_share(ctx: Tandem, session: Session, pair: Pair, item: Shareable, now: datetime) -> str:
    """Share `item` at once, not at all, or ask both members, as the charter says; returns a
    note for the pair's cheer saying which it was ("" when there is nothing to say)."""
    celebration = item.celebration
    mode = sharing_mode(ctx, session, pair, celebration)
    channel = celebration.channel_id
    if not mode:
        return ""
    if mode == "always":
        queue_announcement(session, item, now)
        return f"Your charter says to always share wins, so it's going to <#{channel}> too."
    celebration.share_status = ShareStatus.ASKED
    celebration.consented_by = []
    session.add(celebration)
    session.flush()
    for person in (item.mentor, item.mentee):
        mine = person.user_id == item.owner.user_id
        dm_member(
            session,
            person.user_id,
            key=f"{ASK_KIND}:{pair.id}:{celebration.id}:{person.user_id}",
            kind=ASK_KIND,
            pair=pair,
            deliver_after=now,
            **cheers.consent_request(
                celebration.id or 0,
                channel or "",
                item.announcement(),
                item.what(),
                owner=None if mine else item.owner,
            ),
        )
    return (
        f"I've asked you both whether to share it in <#{channel}>: it goes out if you both say yes."
    )


def decide_together(
    session: Session, item: Shareable, user_id: str, share: bool, now: datetime
) -> str | Refused:
    """One member's answer to "share it?" while it is asked; returns what their consent DM
    should now say. Both yes: it is posted (once, whoever answers last). One no: it is not,
    and the owner hears it kindly when the no was the partner's."""
    celebration = item.celebration
    if user_id not in (item.mentor.user_id, item.mentee.user_id):
        return Refused(NOT_YOURS)
    partner = item.mentee if user_id == item.mentor.user_id else item.mentor
    # Asked before both members were (no one's yes recorded, not even an empty list): the
    # owner alone was asked then, so the owner alone still decides.
    owner_alone = celebration.consented_by is None
    if owner_alone and user_id != item.owner.user_id:
        return Refused(f"It's <@{item.owner.user_id}>'s win, so they decide whether to share it.")
    if not share:
        declined = {"share_status": ShareStatus.DECLINED}
        if not update_celebration_if(session, celebration.id or 0, (ShareStatus.ASKED,), declined):
            session.refresh(celebration)  # settled before this click: say how
            return settled_answer(celebration)
        if user_id != item.owner.user_id:
            _tell_owner(session, item, now)
        return "Okay, it stays between the two of you. Congratulations again!"
    session.refresh(celebration, with_for_update=True)  # both saying yes at once: one shares
    if celebration.share_status != ShareStatus.ASKED:
        return settled_answer(celebration)
    agreed = sorted({*(celebration.consented_by or []), user_id})
    celebration.consented_by = agreed  # reassigned: JSON is not tracked in place
    if partner.user_id not in agreed and not owner_alone:
        session.add(celebration)
        return f"Thanks! It's shared once <@{partner.user_id}> says yes too."
    celebration.share_status = ShareStatus.SHARING
    celebration.share_attempts = (celebration.share_attempts or 0) + 1
    session.add(celebration)
    session.flush()
    queue_announcement(session, item, now)
    return f"🎉 You both said yes: sharing it in <#{celebration.channel_id}> now."


def _tell_owner(session: Session, item: Shareable, now: datetime) -> None:
    celebration = item.celebration
    partner = item.mentee if item.owner.user_id == item.mentor.user_id else item.mentor
    text = (
        f"<@{partner.user_id}> would rather keep {item.what()} between the two of you, so it "
        f"won't be posted in <#{celebration.channel_id}>. It's still a win worth celebrating: "
        "congratulations!"
    )
    dm_member(
        session,
        item.owner.user_id,
        team_id=celebration.team_id,
        pair_id=celebration.pair_id,
        key=f"{DECLINED_KIND}:{celebration.pair_id}:{celebration.id}",
        kind=DECLINED_KIND,
        text=text,
        deliver_after=now,
    )


def settled_answer(celebration: Celebration) -> str:
    """What the consent message says once the question is settled."""
    channel = f"<#{celebration.channel_id}>" if celebration.channel_id else "the channel"
    return {
        ShareStatus.SHARING: f"🎉 Sharing it in {channel} now. Thank you for letting others "
        "celebrate with you!",
        ShareStatus.SHARED: f"🎉 Shared in {channel}.",
        ShareStatus.DECLINED: "It stays between the two of you, as one of you preferred.",
        ShareStatus.FAILED: f"I couldn't post in {channel} yet; I've sent the owner what to do.",
        ShareStatus.NO_CHANNEL: "There's no celebrations channel set up, so nothing to share.",
        ShareStatus.NEVER: "Your charter says not to share wins, so nothing was shared.",
    }.get(ShareStatus(celebration.share_status), "Nothing changed.")

"""Anniversaries and meeting streaks in the celebrations channel, with the same consent as
milestones: the charter says always, never, or ask. A milestone is its owner's to share; an
anniversary or a streak belongs to both, so "ask" asks both and shares only once both say yes
(either "Don't share" keeps it between them). Exactly once, through the outbox.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Refused
from bot.delivery.service import enqueue
from bot.goals.access import NOT_YOURS
from bot.goals.blocks import cheers
from bot.goals.share_consent import sharing_mode
from storage.models import Celebration, CharterVersion, Pair, Person
from storage.models.goals import ShareStatus
from storage.queries.goals import update_celebration_if
from storage.queries.pairs import pair_people

OCCASIONS = ("anniversary", "streak")
ANNOUNCE_KIND = "celebrate.announce"
ASK_KIND = "celebrate.ask"


def _names(person: Person) -> str:
    return person.real_name or person.display_name or "someone"


def occasion_announcement(
    celebration: Celebration, mentor: Person, mentee: Person
) -> cheers.Announcement:
    """What the channel is told: the occasion and both people, nothing private."""
    both = f"<@{mentor.user_id}> and <@{mentee.user_id}>"
    if celebration.kind == "anniversary":
        months = celebration.subject_key.removesuffix("m")
        span = "a whole year" if months == "12" else f"{months} months"
        headline = f"🎂 {both} have been mentoring together for {span}!"
    else:
        meetings = celebration.subject_key.split("@")[0].removeprefix("streak-")
        headline = f"🔥 {both} kept {meetings} mentoring meetings in a row!"
    credit = f"Mentor {_names(mentor)} · mentee {_names(mentee)}"
    return cheers.Announcement(headline, credit, headline.replace("*", ""))


def _announce_key(celebration: Celebration) -> str:
    return f"{ANNOUNCE_KIND}:{celebration.pair_id}:{celebration.id}:{celebration.share_attempts}"


def _queue(
    session: Session, celebration: Celebration, mentor: Person, mentee: Person, now: datetime
) -> None:
    content = occasion_announcement(celebration, mentor, mentee).message()
    enqueue(
        session,
        team_id=celebration.team_id,
        key=_announce_key(celebration),
        kind=ANNOUNCE_KIND,
        channel=celebration.channel_id or "",
        text=content["text"],
        blocks=content["blocks"],
        deliver_after=now,
    )


def offer_occasion_share(
    ctx: Tandem,
    session: Session,
    pair: Pair,
    celebration: Celebration,
    now: datetime,
    charters: Mapping[int, CharterVersion] | None = None,
) -> str:
    """Share at once, not at all, or ask both, as the charter says; returns the note for the
    pair's cheer ("" when there is nothing to say). `charters`: see `sharing_mode`."""
    mode = sharing_mode(ctx, session, pair, celebration, charters)
    channel = celebration.channel_id
    if not mode:
        return ""
    mentor, mentee = pair_people(session, pair)
    if mode == "always":
        _queue(session, celebration, mentor, mentee, now)
        return f"Your charter says to always share wins, so it's going to <#{channel}> too."
    celebration.share_status = ShareStatus.ASKED
    celebration.consented_by = []
    session.add(celebration)
    session.flush()
    preview = occasion_announcement(celebration, mentor, mentee)
    what = "this milestone of your mentorship"
    for person in (mentor, mentee):
        enqueue(
            session,
            team_id=pair.team_id,
            key=f"{ASK_KIND}:{pair.id}:{celebration.id}:{person.user_id}",
            kind=ASK_KIND,
            channel=person.user_id,
            recipient_user_id=person.user_id,
            pair_id=pair.id,
            deliver_after=now,
            **cheers.consent_request(celebration.id or 0, channel, preview, what),
        )
    return (
        f"I've asked you both whether to share it in <#{channel}>: it goes out if you both say yes."
    )


def decide_occasion(
    session: Session, celebration: Celebration, user_id: str, share: bool, now: datetime
) -> str | Refused:
    """One member's answer about sharing their pair's occasion; returns what their consent
    DM should now say."""
    pair = session.get(Pair, celebration.pair_id)
    if pair is None:
        return Refused(NOT_YOURS)
    mentor, mentee = pair_people(session, pair)
    if user_id not in (mentor.user_id, mentee.user_id):
        return Refused(NOT_YOURS)
    partner = mentee if user_id == mentor.user_id else mentor
    if celebration.share_status != ShareStatus.ASKED:
        return {
            ShareStatus.DECLINED: "It stays between the two of you, as one of you preferred.",
            ShareStatus.SHARING: f"🎉 Sharing it in <#{celebration.channel_id}> now.",
            ShareStatus.SHARED: f"🎉 Shared in <#{celebration.channel_id}>.",
        }.get(ShareStatus(celebration.share_status), "Nothing changed.")
    if not share:
        declined = {"share_status": ShareStatus.DECLINED}
        update_celebration_if(session, celebration.id or 0, (ShareStatus.ASKED,), declined)
        return "Okay, it stays between the two of you. Congratulations again!"
    session.refresh(celebration, with_for_update=True)  # both saying yes at once: one shares
    agreed = sorted({*(celebration.consented_by or []), user_id})
    celebration.consented_by = agreed  # reassigned: JSON is not tracked in place
    if partner.user_id not in agreed:
        session.add(celebration)
        return f"Thanks! It's shared once <@{partner.user_id}> says yes too."
    celebration.share_status = ShareStatus.SHARING
    celebration.share_attempts = (celebration.share_attempts or 0) + 1
    session.add(celebration)
    session.flush()
    _queue(session, celebration, mentor, mentee, now)
    return f"🎉 You both said yes: sharing it in <#{celebration.channel_id}> now."

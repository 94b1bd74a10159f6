"""Proposing a pair and answering the proposal: only when both people accept is the pair active;
ending a pair, and closing the pairs of someone who left the workspace.

The proposer's own side counts as accepted: asking someone to mentor you (or offering to mentor
them) is consent, and a second "are you sure?" DM to the person who just asked would be noise.
An admin who pairs two other people consents for neither, so both of them are asked.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.config import Settings
from bot.core.context import Tandem
from bot.core.events import MemberGone
from bot.core.membership import Membership, refused_in_place
from bot.core.mentions import mentioned_user_ids
from bot.core.people import ensure_person, is_programme_admin
from bot.core.programme_settings import effective_settings
from bot.core.results import Refused, Reply, Result, in_place
from bot.delivery.service import cancel_nudges, cancel_pending, dm_member
from bot.pairs import blocks as pair_blocks
from bot.pairs.access import answerable
from bot.pairs.group_dm import activate, welcome_new_pair
from storage.models import Cohort, Pair, PairStatus, Person, Workspace
from storage.queries.pairs import open_pair_between, pair_people, pairs_of_person
from storage.queries.people import find_person
from storage.queries.programme import leave_pools, profile_of

# An unanswered proposal is reminded once, then closes (bot/pairs/proposal_expiry.py); the
# programme's at-risk list shows it from PROPOSAL_GRACE (7 days), between the two.
REMIND_AFTER = timedelta(days=3)
PROPOSAL_LIFETIME = timedelta(days=14)

USAGE = "`/tandem pair @mentor @mentee` (the mentor first)"


@dataclass(frozen=True)
class Proposed:
    """A new proposal, and who still has to accept it."""

    pair: Pair
    mentor: Person
    mentee: Person
    proposer: Person
    asked: list[Person]


def _people_named(args: str) -> tuple[str, str] | Refused:
    """The mentor's and mentee's user ids from the command text, or why they can't be paired."""
    named = mentioned_user_ids(args)
    if not named:
        return Refused(f"Who should I pair? Mention two people: {USAGE}.")
    if len(named) == 1:
        return Refused(f"A pair needs two people, and I found only <@{named[0]}>. Try {USAGE}.")
    if len(named) > 2:
        return Refused(f"A pair is exactly two people: {USAGE}.")
    if named[0] == named[1]:
        return Refused(f"A pair needs two different people; you named <@{named[0]}> twice.")
    return named[0], named[1]


def _can_join(person: Person) -> Refused | None:
    if person.is_bot:
        return Refused(f"<@{person.user_id}> is a bot; mentoring pairs are for people.")
    if person.deleted:
        return Refused(f"<@{person.user_id}>'s account is deactivated, so they can't join a pair.")
    return None


def _already(pair: Pair, mentor: Person, mentee: Person) -> Refused:
    who = f"<@{mentor.user_id}> and <@{mentee.user_id}>"
    if pair.status == PairStatus.PROPOSED:
        return Refused(f"There's already a proposal for {who} waiting to be accepted.")
    return Refused(f"{who} are already a pair. `/tandem status` shows how it's going.")


def propose(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str, args: str
) -> Result:
    """`/tandem pair @mentor @mentee`: propose the pair, and say whom Tandem asked."""
    result = propose_pair(session, client, ctx.settings, team_id, user_id, args, ctx.clock.now())
    if isinstance(result, Refused):
        return result
    text = pair_blocks.proposed_reply(result.mentor, result.mentee, result.proposer, result.asked)
    return Reply(text=text, queued=True)


def propose_pair(
    session: Session,
    client: WebClient,
    settings: Settings,
    team_id: str,
    proposer_user_id: str,
    args: str,
    now: datetime,
) -> Proposed | Refused:
    """Propose `/tandem pair @mentor @mentee` and queue the DMs asking each side to accept.

    A refusal leaves the database exactly as it was (the session is rolled back).
    """
    result = _propose(session, client, settings, team_id, proposer_user_id, args, now)
    if isinstance(result, Refused):
        session.rollback()
    return result


def _propose(
    session: Session,
    client: WebClient,
    settings: Settings,
    team_id: str,
    proposer_user_id: str,
    args: str,
    now: datetime,
) -> Proposed | Refused:
    named = _people_named(args)
    if isinstance(named, Refused):
        return named
    proposer = ensure_person(session, client, team_id, proposer_user_id, now)
    if isinstance(proposer, Refused):
        return proposer
    # Checked before looking anyone up: a non-admin learns nothing about other people's pairs.
    if proposer_user_id not in named and not is_programme_admin(session, settings, proposer):
        return Refused(
            "You can propose a pair you're part of (as mentor or mentee). "
            "Only programme admins can pair two other people."
        )
    return propose_people(session, client, team_id, proposer, named[0], named[1], now)


def propose_people(
    session: Session,
    client: WebClient,
    team_id: str,
    proposer: Person,
    mentor_user_id: str,
    mentee_user_id: str,
    now: datetime,
    cohort_id: int | None = None,
    reasons: pair_blocks.MatchReasons | None = None,
) -> Proposed | Refused:
    """Propose `mentor_user_id` mentoring `mentee_user_id` and queue the DMs asking consent
    (saying the programme, the commitment, who the partner is and, from a matching round,
    `reasons`).

    The caller has checked that `proposer` may propose these two (they are one of them, or a
    programme admin). A refusal writes no pair (people met on the way are remembered).
    """
    if mentor_user_id == mentee_user_id:
        return Refused(f"A pair needs two different people; you named <@{mentor_user_id}> twice.")
    people: list[Person] = []
    for user_id in (mentor_user_id, mentee_user_id):
        person = ensure_person(session, client, team_id, user_id, now)
        if isinstance(person, Refused):
            return person
        refusal = _can_join(person)
        if refusal is not None:
            return refusal
        people.append(person)
    mentor, mentee = people
    existing = open_pair_between(session, team_id, mentor.id, mentee.id)
    if existing is not None:
        return _already(existing, mentor, mentee)
    pair = Pair(
        team_id=team_id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        proposed_by_id=proposer.id,
        cohort_id=cohort_id,
        status=PairStatus.PROPOSED,
        mentor_accepted_at=now if proposer.id == mentor.id else None,
        mentee_accepted_at=now if proposer.id == mentee.id else None,
        created_at=now,
        updated_at=now,
        next_proposal_check_at=now + REMIND_AFTER,
    )
    try:
        with session.begin_nested():
            session.add(pair)
    except IntegrityError:
        # Someone proposed the same two at the same moment; the unique index kept theirs.
        existing = open_pair_between(session, team_id, mentor.id, mentee.id)
        if existing is not None:
            return _already(existing, mentor, mentee)
        return Refused("Someone proposed these two at the same moment. See `/tandem status`.")
    asked = [p for p in (mentor, mentee) if p.id != proposer.id]
    facts = _proposal_facts(session, team_id, pair, mentor, mentee, reasons)
    for person in asked:
        text, blocks = pair_blocks.proposal_dm(pair, mentor, mentee, proposer, person, facts)
        dm_member(
            session,
            person.user_id,
            key=f"pair.proposal:{pair.id}:{person.user_id}",
            kind="pair.proposal",
            text=text,
            blocks=blocks,
            deliver_after=now,
            pair=pair,
        )
    return Proposed(pair=pair, mentor=mentor, mentee=mentee, proposer=proposer, asked=asked)


def _proposal_facts(
    session: Session,
    team_id: str,
    pair: Pair,
    mentor: Person,
    mentee: Person,
    reasons: pair_blocks.MatchReasons | None,
) -> pair_blocks.ProposalFacts:
    """The programme or cohort, the commitment (the cohort's default cadence, else the
    workspace's; the cohort's end, else the review rhythm) and what each side is told about
    the other."""
    workspace = session.get(Workspace, team_id)
    cohort = session.get(Cohort, pair.cohort_id) if pair.cohort_id else None
    applying = effective_settings(session, pair)
    cadence, review_months = applying.default_cadence, applying.review_interval_months
    if cohort is not None:
        programme = f"the {cohort.name} cohort"
        length = f"until {cohort.ends_on:%-d %b %Y}, when the cohort ends"
    else:
        name = workspace.name if workspace and workspace.name else None
        programme = f"{name}'s mentoring programme" if name else "the mentoring programme"
        length = f"open-ended, with a review together every {review_months} months"
    partners = {}
    for person, offers in ((mentor, True), (mentee, False)):
        profile = profile_of(session, team_id, person.id) if person.id else None
        topics = (profile.offers if offers else profile.seeks) if profile else []
        partners[person.user_id] = pair_blocks.PartnerFacts(
            topics=tuple(topics or ()),
            zone=person.tz,
            note=profile.note if profile and profile.note_for_partner else "",
        )
    return pair_blocks.ProposalFacts(programme, cadence, length, reasons, partners)


def _accepted_at(pair: Pair, membership: Membership) -> datetime | None:
    return pair.mentor_accepted_at if membership.role == "mentor" else pair.mentee_accepted_at


def accept_pair(
    ctx: Tandem, client: WebClient, team_id: str, user_id: str, pair_id: int | None
) -> Result:
    """The Accept button: when both have accepted, the pair is active and its home opens."""
    with ctx.session() as session:
        membership = _accept(session, team_id, user_id, pair_id, ctx.clock.now())
    if isinstance(membership, Refused):
        return _through_response_url(refused_in_place(membership))
    pair = membership.pair
    activated = pair.status == PairStatus.ACTIVE  # only this answer could have made it so
    home = welcome_new_pair(ctx, client, team_id, pair.id or 0) if activated else None
    text = pair_blocks.accepted_text(
        pair, membership.partner, home.channel if home else None, later=bool(home and home.later)
    )
    return _through_response_url(in_place(text, queued=True))


def _accept(
    session: Session, team_id: str, user_id: str, pair_id: int | None, now: datetime
) -> Membership | Refused:
    """`user_id` accepts; when both have, the pair becomes active (see `welcome_new_pair`)."""
    membership = answerable(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    pair = membership.pair
    if _accepted_at(pair, membership) is not None:
        return Refused(
            f"You've already accepted. I'm waiting for <@{membership.partner.user_id}> to answer."
        )
    if membership.role == "mentor":
        pair.mentor_accepted_at = now
    else:
        pair.mentee_accepted_at = now
    pair.updated_at = now
    session.add(pair)
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        activate(session, pair, now)
    session.flush()
    return membership


def decline_pair(
    session: Session, team_id: str, user_id: str, pair_id: int | None, now: datetime
) -> Result:
    """The Decline button: the proposal closes, and the others hear it kindly, without who."""
    membership = answerable(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return _through_response_url(refused_in_place(membership))
    pair = membership.pair
    pair.status = PairStatus.DECLINED
    pair.declined_at = now
    pair.updated_at = now
    session.add(pair)
    cancel_pending(session, pair.id, ("pair.proposal",))
    mentor = membership.me if membership.role == "mentor" else membership.partner
    mentee = membership.partner if membership.role == "mentor" else membership.me
    proposer = session.get(Person, pair.proposed_by_id)
    told = {membership.me.id}
    for person in (proposer, membership.partner):
        if person is None or person.id in told:
            continue
        told.add(person.id)
        text = pair_blocks.declined_notice(mentor, mentee, person)
        dm_member(
            session,
            person.user_id,
            key=f"pair.declined:{pair.id}:{person.user_id}",
            kind="pair.declined",
            text=text,
            deliver_after=now,
            pair=pair,
        )
    session.flush()
    return _through_response_url(in_place(pair_blocks.DECLINED_TEXT, queued=True))


def _through_response_url(reply: Result) -> Result:
    """The answered proposal is replaced through the click's response_url, not chat.update: on
    a launch day a thousand people answer within minutes, and chat.update is a Tier 3 method
    (50 a minute per workspace) while each response_url is the click's own."""
    return replace(reply, replace_original=True) if isinstance(reply, Reply) else reply


# -- endings, and people who leave the workspace -------------------------------------------
#
# A person deactivated in Slack (a `user_change` with `deleted: true`) can no longer answer,
# meet or read: their open pairs end as closed ("left the workspace"), the partner and the
# admin who proposed the pair are told once (one outbox key per pair and recipient), and they
# leave the matching pool. Nothing they wrote is deleted; that is `/tandem admin delete`'s job.

LEFT = "left"  # end_kind: a member left the workspace
OPEN = (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.PAUSED)


def close_pair(session: Session, pair: Pair, end_kind: str, now: datetime) -> None:
    """End `pair` for both members: no more due dates, and its nudges still queued expire."""
    pair.status = PairStatus.ENDED
    pair.end_kind = end_kind
    pair.ended_at = pair.updated_at = now
    pair.paused_until = None
    pair.next_meeting_at = pair.next_review_at = pair.next_feedback_prompt_at = None
    session.add(pair)
    cancel_nudges(session, pair.id or 0)


def _told(session: Session, pair: Pair, person: Person, key: str, text: str, now: datetime) -> None:
    if not person.deleted and person.erased_at is None:
        dm_member(
            session,
            person.user_id,
            key=key,
            kind="pair.left",
            text=text,
            deliver_after=now,
            pair=pair,
            exempt_from_cap=True,
        )


def person_left(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`user_id` was deactivated: close their open pairs, tell each partner and the pair's
    admin once, take them out of the pool. How many pairs closed (0 for someone unknown)."""
    person = find_person(session, team_id, user_id)
    if person is None:
        return 0  # never met here: nothing of theirs to close, and no one to store
    person.deleted = True
    person.refreshed_at = now
    session.add(person)
    leave_pools(session, team_id, person.id or 0, now)
    pairs = pairs_of_person(session, team_id, person.id or 0, OPEN)
    for pair in pairs:
        session.refresh(pair, with_for_update=True)  # a click at the same moment waits
        if pair.status not in OPEN:
            continue
        mentor, mentee = pair_people(session, pair)
        partner = mentee if mentor.id == person.id else mentor
        was = pair.status
        close_pair(session, pair, LEFT, now)
        what = "proposal for the two of you" if was == PairStatus.PROPOSED else "mentorship"
        _told(
            session,
            pair,
            partner,
            f"pair.left:{pair.id}:{partner.user_id}",
            f"<@{person.user_id}> has left the workspace, so your {what} with them is closed "
            "(left the workspace). Your history stays in `/tandem status`; `/tandem join` "
            "puts you in the matching pool for a new partner.",
            now,
        )
        admin = session.get(Person, pair.proposed_by_id)
        if admin is not None and admin.id not in (mentor.id, mentee.id):
            _told(
                session,
                pair,
                admin,
                f"pair.left.admin:{pair.id}",
                f"<@{person.user_id}> has left the workspace: their {what} with "
                f"<@{partner.user_id}> is closed (left the workspace), and they are out of the "
                "matching pool.",
                now,
            )
    return len(pairs)


def member_gone(ctx: Tandem, session: Session, event: MemberGone) -> None:
    """Subscriber: a send found its recipient deactivated; as if Slack had said so itself."""
    person_left(session, event.team_id, event.user_id, event.now)

"""Which pair a person means: their pairs, their partner in one, and the one guard on them."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session

from bot.core.mentions import mentioned_user_ids
from bot.core.results import Refused, Reply, in_place
from storage.models import Pair, PairStatus, Person
from storage.queries.pairs import pairs_of_person, people_by_id
from storage.queries.people import find_person

LIVE = (PairStatus.ACTIVE, PairStatus.PAUSED)
NO_PAIR = (
    "You're not in an active mentoring pair yet. Start one with `/tandem pair @mentor @mentee`."
)
# What anyone gets for a pair, charter or button that is not theirs, or does not exist: the
# same words either way, so an outsider cannot tell the two apart.
NOT_FOUND = (
    "I couldn't find that. It may no longer exist, or it isn't yours to open. "
    "`/tandem status` shows your pairs."
)


def refused_in_place(refused: Refused) -> Refused | Reply:
    """A refusal of a click that replaces the clicked message, but for "not found", which stays
    private: the message is not theirs to change."""
    return refused if refused.message == NOT_FOUND else in_place(refused.message)


@dataclass(frozen=True)
class Membership:
    """A person's place in a pair: the pair, their role, and their partner."""

    pair: Pair
    me: Person
    partner: Person

    @property
    def role(self) -> str:
        """ "mentor" or "mentee"."""
        return "mentor" if self.pair.mentor_id == self.me.id else "mentee"


def memberships(
    session: Session, team_id: str, user_id: str, statuses: tuple[str, ...] = LIVE
) -> list[Membership]:
    """Every pair `user_id` belongs to in `team_id` with one of `statuses`, oldest first."""
    me = find_person(session, team_id, user_id)
    if me is None:
        return []
    pairs = pairs_of_person(session, team_id, me.id or 0, statuses)
    partner_ids = {pair.mentee_id if pair.mentor_id == me.id else pair.mentor_id for pair in pairs}
    partners = people_by_id(session, partner_ids)  # every partner in one statement
    result = []
    for pair in pairs:
        partner_id = pair.mentee_id if pair.mentor_id == me.id else pair.mentor_id
        partner = partners.get(partner_id)
        if partner is not None:
            result.append(Membership(pair=pair, me=me, partner=partner))
    return result


def membership_in(session: Session, pair_id: int, team_id: str, user_id: str) -> Membership | None:
    """`user_id`'s membership of pair `pair_id`, or None when they are not one of its two."""
    for membership in memberships(session, team_id, user_id, tuple(PairStatus)):
        if membership.pair.id == pair_id:
            return membership
    return None


@dataclass(frozen=True)
class Refusals:
    """What an area answers someone who may not act on a pair.

    `missing` is said alike for a pair that does not exist and for one that is not theirs, so
    an outsider cannot tell the two apart; `by_status` tells one of its two members why the
    pair's status stops them (a status it has no words for gets `missing`); those words may
    name the `{partner}`.
    """

    missing: str = NOT_FOUND
    by_status: Mapping[str, str] = field(default_factory=dict)


def guard(
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    refusals: Refusals = Refusals(),
    statuses: tuple[str, ...] = tuple(PairStatus),
) -> Membership | Refused:
    """The membership check every area's `access` is built on: `user_id`'s place in pair
    `pair_id` if the pair has one of `statuses`, else Refused in the area's words."""
    membership = membership_in(session, pair_id, team_id, user_id) if pair_id else None
    if membership is None:
        return Refused(refusals.missing)
    if membership.pair.status not in statuses:
        why = refusals.by_status.get(membership.pair.status, refusals.missing)
        return Refused(why.format(partner=f"<@{membership.partner.user_id}>"))
    return membership


def resolve_pair(
    session: Session,
    team_id: str,
    user_id: str,
    args: str = "",
    statuses: tuple[str, ...] = LIVE,
) -> Membership | list[Membership] | Refused:
    """The pair a command means: the one named by an @partner in `args`, or the only one.

    Returns the list when the person has several pairs and named none (the caller then lets
    them choose), or Refused with a friendly message.
    """
    mine = memberships(session, team_id, user_id, statuses)
    if not mine:
        return Refused(NO_PAIR)
    named = mentioned_user_ids(args)
    if named:
        for membership in mine:
            if membership.partner.user_id == named[0]:
                return membership
        return Refused(f"You don't have an active pair with <@{named[0]}>.")
    return mine[0] if len(mine) == 1 else mine

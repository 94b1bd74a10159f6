"""Pairs and charters: finding open pairs, locking one, and reading charter versions and acks."""

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, and_, col, func, or_, select

from storage.models import (
    CharterAck,
    CharterChangeRequest,
    CharterVersion,
    Cohort,
    Pair,
    PairStatus,
    Person,
    Workspace,
)
from storage.queries.workspaces import installed

OPEN_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.PAUSED)
Item = TypeVar("Item")


def open_pair_between(session: Session, team_id: str, first_id: int, second_id: int) -> Pair | None:
    """The proposed, active or paused pair of these two people, in either role."""
    return session.exec(
        select(Pair).where(
            Pair.team_id == team_id,
            col(Pair.status).in_(OPEN_STATUSES),
            or_(
                and_(Pair.mentor_id == first_id, Pair.mentee_id == second_id),
                and_(Pair.mentor_id == second_id, Pair.mentee_id == first_id),
            ),
        )
    ).first()


def pair_for_update(session: Session, pair_id: int, team_id: str) -> Pair | None:
    """Pair `pair_id` in `team_id`, row-locked until commit (PostgreSQL; SQLite locks the file)."""
    return session.exec(
        select(Pair)
        .where(Pair.id == pair_id, Pair.team_id == team_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def next_chapter(session: Session, pair_id: int) -> Pair | None:
    """The pair that carries `pair_id` on as its new chapter, if one was started."""
    return session.exec(select(Pair).where(Pair.previous_pair_id == pair_id)).first()


def active_pairs_without_home(session: Session, limit: int) -> list[Pair]:
    """Active pairs whose group DM could not be opened yet, oldest first."""
    return list(
        session.exec(
            select(Pair)
            .where(
                Pair.status == PairStatus.ACTIVE,
                col(Pair.home_channel_id).is_(None),
                installed(Pair.team_id),
            )
            .order_by(col(Pair.id))
            .limit(limit)
        )
    )


def charter_version(session: Session, pair_id: int, number: int) -> CharterVersion | None:
    """Version `number` of the pair's charter."""
    return session.exec(
        select(CharterVersion).where(
            CharterVersion.pair_id == pair_id, CharterVersion.version == number
        )
    ).first()


def charter_versions(session: Session, pair_id: int, limit: int) -> list[CharterVersion]:
    """The pair's latest `limit` charter versions, newest first."""
    return list(
        session.exec(
            select(CharterVersion)
            .where(CharterVersion.pair_id == pair_id)
            .order_by(col(CharterVersion.version).desc())
            .limit(limit)
        )
    )


def charter_version_count(session: Session, pair_id: int) -> int:
    """How many versions the pair's charter has."""
    return session.exec(
        select(func.count()).select_from(CharterVersion).where(CharterVersion.pair_id == pair_id)
    ).one()


def acks_by_version(session: Session, version_ids: list[int]) -> dict[int, list[CharterAck]]:
    """Acknowledgements of each of `version_ids`, earliest first."""
    found: dict[int, list[CharterAck]] = {version_id: [] for version_id in version_ids}
    if not version_ids:
        return found
    acks = session.exec(
        select(CharterAck)
        .where(col(CharterAck.charter_version_id).in_(version_ids))
        .order_by(col(CharterAck.acked_at), col(CharterAck.id))
    )
    for ack in acks:
        found[ack.charter_version_id].append(ack)
    return found


def find_ack(session: Session, version_id: int, person_id: int) -> CharterAck | None:
    """`person_id`'s acknowledgement of version `version_id`, if given."""
    return session.exec(
        select(CharterAck).where(
            CharterAck.charter_version_id == version_id, CharterAck.person_id == person_id
        )
    ).first()


def people_by_id(session: Session, person_ids: set[int]) -> dict[int, Person]:
    """The people with these ids."""
    if not person_ids:
        return {}
    return {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(person_ids)))}


def _itself(item: Any) -> Pair:
    return item


def held_batches(
    session: Session,
    next_batch: Callable[[], list[Item]],
    pair_of: Callable[[Item], Pair] = _itself,
    *,
    with_workspaces: bool = False,
) -> Iterator[list[Item]]:
    """Every batch `next_batch` reads, until it reads none: a producer's loop over due pairs,
    at a cost that does not grow with the programme.

    While the caller works on a batch, both members of its pairs (and, `with_workspaces`,
    their workspaces) are loaded in a statement or two and held, so `pair_people` and
    `session.get` answer without SQL (the session keeps loaded rows only while they are
    referenced); `with_workspaces` holds their cohorts too, whose settings stand before the
    workspace's (bot.core.programme_settings). After each batch the session is flushed: the
    caller has moved its pairs' due dates on, and the next read must see that. `pair_of` finds
    the pair in an item.
    """
    while batch := next_batch():
        pairs = [pair_of(item) for item in batch]
        held: list[object] = [
            people_by_id(session, {i for pair in pairs for i in (pair.mentor_id, pair.mentee_id)})
        ]
        if with_workspaces:
            held += settings_rows(session, pairs)
        yield batch
        session.flush()
        del held


def settings_rows(session: Session, pairs: list[Pair]) -> list[Workspace | Cohort]:
    """The workspaces and cohorts of `pairs`, whose settings apply to them
    (bot.core.programme_settings), in a statement or two: held by a caller, they make
    `session.get` of them free while it works on the pairs (the session forgets rows nobody
    references)."""
    rows: list[Workspace | Cohort] = []
    for team in {pair.team_id for pair in pairs}:
        workspace = session.get(Workspace, team)
        if workspace is not None:
            rows.append(workspace)
    ids = {pair.cohort_id for pair in pairs if pair.cohort_id}
    if ids:
        rows += session.exec(select(Cohort).where(col(Cohort.id).in_(ids)))
    return rows


def pair_people(session: Session, pair: Pair) -> tuple[Person, Person]:
    """The pair's (mentor, mentee).

    By primary key, so free when the caller holds them loaded (producers do, per batch: see
    `held_batches`). The foreign keys guarantee both rows: a missing one is a broken database,
    not a case to handle."""
    mentor, mentee = session.get(Person, pair.mentor_id), session.get(Person, pair.mentee_id)
    if mentor is None or mentee is None:
        raise LookupError(f"pair {pair.id} lost a member row")
    return mentor, mentee


def home_audience(session: Session, pair_id: int, channel: str) -> list[str] | None:
    """Both members' Slack ids when `channel` is the pair's group DM (their home), else None."""
    pair = session.get(Pair, pair_id)
    if pair is None or not pair.home_channel_id or channel != pair.home_channel_id:
        return None
    return [person.user_id for person in pair_people(session, pair)]


def pairs_of_person(
    session: Session, team_id: str, person_id: int, statuses: tuple[str, ...]
) -> list[Pair]:
    """The pairs `person_id` belongs to (either role) with one of `statuses`, oldest first.

    Read through the mentor and mentee indexes: with the team in the WHERE clause, SQLite
    (no statistics) read every pair of the workspace through ix_pair_team_id instead. A
    person belongs to one workspace, so the team is checked on the person's few pairs."""
    pairs = session.exec(
        select(Pair)
        .where(
            or_(Pair.mentor_id == person_id, Pair.mentee_id == person_id),
            col(Pair.status).in_(statuses),
        )
        .order_by(col(Pair.id))
    ).all()
    return [pair for pair in pairs if pair.team_id == team_id]


def _skip_locked(session: Session, query):  # type: ignore[no-untyped-def]
    """Two schedulers on PostgreSQL split the due pairs instead of both doing them."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True, of=Pair)
    return query


def pairs_due(
    session: Session,
    due_column: Any,
    now: datetime,
    limit: int,
    status: PairStatus = PairStatus.ACTIVE,
) -> list[Pair]:
    """Up to `limit` pairs with `status` (active unless said) whose `due_column` (a
    `Pair.next_*_at`) has come, soonest first: one range scan of the (status, column) index,
    whatever the programme's size."""
    query = (
        select(Pair)
        .where(Pair.status == status, col(due_column) <= now, installed(Pair.team_id))
        .order_by(col(due_column), col(Pair.id))
        .limit(limit)
    )
    return list(session.exec(_skip_locked(session, query)))


def pairs_without_due_dates(session: Session, limit: int) -> list[Pair]:
    """Up to `limit` active pairs the scheduler has not given their due dates yet."""
    query = (
        select(Pair)
        .where(
            Pair.status == PairStatus.ACTIVE,
            col(Pair.due_dates_set).is_(False),
            installed(Pair.team_id),
        )
        .order_by(col(Pair.id))
        .limit(limit)
    )
    return list(session.exec(_skip_locked(session, query)))


def open_change_requests(session: Session, pair_ids: list[int]) -> list[CharterChangeRequest]:
    """Changes asked for and not yet answered by a new version, for these pairs (one query)."""
    if not pair_ids:
        return []
    return list(
        session.exec(
            select(CharterChangeRequest)
            .where(
                col(CharterChangeRequest.pair_id).in_(pair_ids),
                col(CharterChangeRequest.resolved_at).is_(None),
            )
            .order_by(col(CharterChangeRequest.id))
        )
    )


def resolve_change_requests(session: Session, pair_id: int, now: datetime) -> None:
    """A new version answers every change the pair's members asked for."""
    session.exec(  # type: ignore[call-overload]
        update(CharterChangeRequest)
        .where(
            col(CharterChangeRequest.pair_id) == pair_id,
            col(CharterChangeRequest.resolved_at).is_(None),
        )
        .values(resolved_at=now)
    )

"""Reading a pair's charter versions: who wrote each, when, and who has acknowledged it."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.charter.access import member_version
from bot.core.membership import Membership
from bot.core.results import Refused
from storage.models import CharterVersion, Person
from storage.queries.charter import current_charters
from storage.queries.pairs import (
    acks_by_version,
    charter_version,
    charter_version_count,
    charter_versions,
    people_by_id,
)

# The history modal lists this many versions (newest first); older ones are opened by number.
HISTORY_LIMIT = 20


@dataclass(frozen=True)
class VersionRecord:
    """One version with its author and acknowledgements (earliest first)."""

    version: CharterVersion
    author: Person
    acks: list[tuple[Person, datetime]]
    latest: int  # the pair's current version number

    @property
    def is_current(self) -> bool:
        return self.version.version == self.latest

    def acked_by(self, person: Person) -> bool:
        """Whether `person` has acknowledged this version."""
        return any(p.id == person.id for p, _ in self.acks)


@dataclass(frozen=True)
class History:
    """The latest versions of a pair's charter, newest first, and how many there are in all."""

    membership: Membership
    records: list[VersionRecord]
    total: int


def _records(
    session: Session, versions: list[CharterVersion], latest: int | None
) -> list[VersionRecord]:
    """Records of `versions` (of one pair, whose current number is `latest`; None: each is
    its own pair's current one)."""
    acks = acks_by_version(session, [v.id for v in versions])
    ids = {v.author_id for v in versions} | {a.person_id for rows in acks.values() for a in rows}
    people = people_by_id(session, ids)
    return [
        VersionRecord(
            version=v,
            author=people[v.author_id],
            acks=[(people[a.person_id], a.acked_at) for a in acks[v.id]],
            latest=v.version if latest is None else latest,
        )
        for v in versions
    ]


def charter_history(
    session: Session, membership: Membership, limit: int = HISTORY_LIMIT
) -> History:
    """The pair's latest `limit` versions."""
    versions = charter_versions(session, membership.pair.id, limit)
    latest = versions[0].version if versions else 0
    total = charter_version_count(session, membership.pair.id)
    return History(membership, _records(session, versions, latest), total)


def current_records(session: Session, pair_ids: list[int]) -> dict[int, VersionRecord]:
    """Each pair's current version with its author and acknowledgements, in three statements."""
    versions = list(current_charters(session, pair_ids).values())
    records = _records(session, versions, latest=None)
    return {record.version.pair_id: record for record in records}


def version_record(
    session: Session, membership: Membership, version: CharterVersion
) -> VersionRecord:
    """One version of `membership`'s pair, with who wrote and acknowledged it."""
    newest = charter_versions(session, membership.pair.id, 1)
    return _records(session, [version], newest[0].version)[0]


def version_by_id(
    session: Session, team_id: str, user_id: str, version_id: int | None
) -> tuple[Membership, VersionRecord] | Refused:
    """A version someone asks for by id (a button), if it belongs to a pair they are in."""
    found = member_version(session, team_id, user_id, version_id)
    if isinstance(found, Refused):
        return found
    membership, version = found
    return membership, version_record(session, membership, version)


def version_by_number(
    session: Session, membership: Membership, number: int
) -> VersionRecord | Refused:
    """Version `number` of `membership`'s pair (from `/tandem charter history 2`)."""
    version = charter_version(session, membership.pair.id, number)
    if version is None:
        total = charter_version_count(session, membership.pair.id)
        if total == 0:
            return Refused("Your pair hasn't written a charter yet. Start with `/tandem charter`.")
        return Refused(f"There's no version {number}: your charter has versions 1 to {total}.")
    return version_record(session, membership, version)

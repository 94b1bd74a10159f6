"""Build state directly when a test is about something else (e.g. an active pair for goals)."""

from dataclasses import dataclass
from typing import Any

from bot.core.people import ensure_person
from storage.models import CharterAck, CharterVersion, Pair, PairStatus
from tests.support.harness import MENTEE, MENTOR, Harness

DEFAULT_CHARTER: dict[str, Any] = {
    "mentor_objectives": "Help Noah grow into a tech lead.",
    "mentee_objectives": "Lead a project end to end; get better at design reviews.",
    "success_looks_like": "Noah runs the Q3 launch with confidence.",
    "cadence": "weekly",
    "weekday": 0,
    "meeting_time": "10:00",
    "timezone": "Europe/Berlin",
    "session_minutes": 45,
    "meeting_format": "video",
    "focus_areas": ["system design", "stakeholders", "career"],
}


@dataclass(frozen=True)
class PairRef:
    """Ids of a pair made by a factory."""

    pair_id: int
    charter_id: int | None
    home_channel_id: str
    mentor_user_id: str
    mentee_user_id: str


def create_active_pair(
    harness: Harness,
    mentor: str = MENTOR,
    mentee: str = MENTEE,
    charter: dict[str, Any] | None = DEFAULT_CHARTER,
) -> PairRef:
    """An active pair (both accepted), its group DM, and a charter v1 both acknowledged."""
    now = harness.clock.now()
    client = harness.ctx.client(harness.team_id)
    home = client.conversations_open(users=f"{mentor},{mentee}")["channel"]["id"]
    with harness.session() as session:
        mentor_row = ensure_person(session, client, harness.team_id, mentor, now)
        mentee_row = ensure_person(session, client, harness.team_id, mentee, now)
        pair = Pair(
            team_id=harness.team_id,
            mentor_id=mentor_row.id,
            mentee_id=mentee_row.id,
            proposed_by_id=mentor_row.id,
            status=PairStatus.ACTIVE,
            mentor_accepted_at=now,
            mentee_accepted_at=now,
            activated_at=now,
            home_channel_id=home,
            created_at=now,
            updated_at=now,
        )
        session.add(pair)
        session.flush()
        charter_id = None
        if charter is not None:
            version = CharterVersion(
                team_id=harness.team_id,
                pair_id=pair.id,
                version=1,
                author_id=mentor_row.id,
                created_at=now,
                **charter,
            )
            session.add(version)
            session.flush()
            charter_id = version.id
            for person in (mentor_row, mentee_row):
                session.add(
                    CharterAck(
                        team_id=harness.team_id,
                        charter_version_id=version.id,
                        person_id=person.id,
                        acked_at=now,
                    )
                )
        return PairRef(pair.id, charter_id, home, mentor, mentee)

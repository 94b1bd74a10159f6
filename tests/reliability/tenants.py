"""A workspace's own programme for the two-workspace matrix (tests/reliability/test_workspaces.py).

Each workspace gets, through the flows its people use over signed HTTP, content of every kind
the issue lists: settings (topics), a cohort, two people joining with notes (join profiles), a
matching round proposing them, feedback for the partner and for the programme only, and a
meeting logged with shared and private notes. Every text carries the workspace's mark, so a
leak of it anywhere shows.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.meetings.blocks.modals import DISCUSSED_BLOCK, PRIVATE_BLOCK
from tests.programme.helpers import command_modal, ephemeral_reply, latest_ephemeral
from tests.support.harness import Harness

TOPIC = "Negotiation"
# Tables the seeding must have filled in each workspace (besides pairs, people, charters...).
SEEDED = (
    "cohort",
    "join_profile",
    "match_round",
    "match_proposal",
    "feedback",
    "meeting_note",
    "meeting",
    "goal",
    "agenda_item",
    "charter_version",
    "outbox",
)


@dataclass(frozen=True)
class Staff:
    """Who acts in one workspace, and the mark its private texts carry."""

    team: str
    admin: str
    mentor: str  # the mentor of the workspace's pair
    mentee: str  # the mentee of the workspace's pair, in that pair only
    joiners: tuple[str, str]  # a mentor and a mentee who join the pool
    mark: str


def add_joiners(tandem: Harness, staff: Staff) -> None:
    """The two people who will join, as members of the workspace in Slack."""
    for user_id in staff.joiners:
        tandem.emulator.add_user(user_id, user_id.lower(), team_id=staff.team, tz="Europe/Paris")


def seed_programme(tandem: Harness, staff: Staff) -> None:
    """Topics, a cohort, two join profiles, a round and its proposal, both kinds of feedback,
    and a logged meeting's shared and private notes, in `staff.team`."""
    mark, admin = staff.mark, staff.admin
    settings = command_modal(tandem, admin, "admin settings")
    answer = tandem.slack.submit_view(admin, settings, {("topics", "value"): TOPIC})
    assert answer.ok and not answer.problems, answer.body

    ephemeral_reply(tandem, admin, "admin cohorts")
    opened = len(tandem.emulator.calls("views.open"))
    assert tandem.slack.click(admin, "programme.cohort.new", "").ok
    tandem.emulator.wait_for("views.open", count=opened + 1)
    values = {
        ("name", "value"): f"{mark}-cohort",
        ("starts_on", "value"): date(2026, 3, 1),
        ("ends_on", "value"): date(2026, 8, 31),
    }
    cohort = tandem.slack.submit_view(admin, tandem.emulator.open_view(admin), values)
    assert cohort.ok and not cohort.problems, cohort.body

    for user_id, role, topics in zip(
        staff.joiners, ("mentor", "mentee"), ("offers", "seeks"), strict=True
    ):
        modal = command_modal(tandem, user_id, "join")
        values = {
            ("role", "value"): role,
            ("capacity", "value"): "1",
            (topics, "value"): [TOPIC],
            ("note", "value"): f"{mark}-join-note-{role}",
        }
        joined = tandem.slack.submit_view(user_id, modal, values)
        assert joined.ok and not joined.problems, joined.body

    before = len(tandem.emulator.ephemeral_messages(user=admin))
    assert tandem.slack.command(admin, "admin match").ok
    latest_ephemeral(tandem, admin, before)

    for visibility in ("partner", "programme"):
        view = command_modal(tandem, staff.mentee, "feedback")
        values = {
            "reflection.kind": "support" if visibility == "partner" else "general",
            "reflection.text": f"{mark}-feedback-{visibility}",
            "reflection.visibility": visibility,
        }
        given = tandem.slack.submit_view(staff.mentee, view, values)
        assert given.ok and given.problems == [], given.body

    view = command_modal(tandem, staff.mentee, "log")
    notes = {DISCUSSED_BLOCK: f"{mark}-shared-note", PRIVATE_BLOCK: f"{mark}-private-note"}
    logged = tandem.slack.submit_view(staff.mentee, view, notes)
    assert logged.ok and logged.problems == [], logged.body


def missing_content(tandem: Harness, teams: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, workspace) of SEEDED that hold no row of that workspace (the matrix would
    then prove nothing about them)."""
    tables = SQLModel.metadata.tables
    missing = []
    with tandem.session() as session:
        for name in SEEDED:
            table = tables[name]
            query = select(table.c.team_id, func.count()).group_by(table.c.team_id)
            held = dict(session.execute(query).all())
            missing += [(name, team) for team in teams if not held.get(team)]
    return missing

"""The launch funnel: in `/tandem admin cohorts` over signed HTTP and as `tandem export --funnel`
run as the CLI, against a programme whose funnel the test works out itself; numbers only. And
its bulk actions over signed HTTP: each pair once, each recorded."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bot.admin.export import funnel_rows
from bot.core.people import ensure_workspace
from storage.models import (
    AdminAction,
    CharterAck,
    CharterVersion,
    JoinProfile,
    Meeting,
    MeetingStatus,
    Pair,
    PairStatus,
)
from tests.programme.helpers import ephemeral_reply, latest_ephemeral, text_of
from tests.programme.seed import person
from tests.programme.test_trends_export import (
    OTHER_TEAM,
    _person,
    make_cohorts,
    run_cli,
    run_export,
)
from tests.support.factories import DEFAULT_CHARTER
from tests.support.harness import ADMIN, OUTSIDER, Harness
from tests.support.statements import statements_on

STAGES = (
    "accepted",
    "declined",
    "unanswered",
    "expired",
    "charter_signed",
    "first_met",
    "still_meeting",
)


@dataclass
class Seeded:
    """What the test put in for one pair: the input of its own arithmetic."""

    team_id: str
    cohort: str  # "" for no cohort
    kind: str  # proposed | declined | expired | active | ended
    signed_by: int = 0  # acknowledgements of its one charter version
    met_after_days: list[int] = field(default_factory=list)


def seed(tandem: Harness, now: datetime, pairs: int = 30, salt: int = 5) -> list[Seeded]:
    """Pairs at every stage in two cohorts, in none, and in another workspace."""
    rng = random.Random(salt)
    seeded = []
    with tandem.session() as session:
        cohorts = make_cohorts(session, tandem.team_id)
        homes = [(tandem.team_id, "Autumn"), (tandem.team_id, "Winter"), (tandem.team_id, "")]
        for n in range(pairs):
            team, name = homes[n % 3] if n % 7 else (OTHER_TEAM, "Autumn")
            facts = Seeded(
                team,
                name,
                rng.choice(["proposed", "declined", "expired", "active", "active", "ended"]),
            )
            mentor = _person(session, team, f"UFM{salt:02d}{n:03d}", now)
            mentee = _person(session, team, f"UFE{salt:02d}{n:03d}", now)
            began = now - timedelta(days=rng.randint(40, 90))
            accepted = facts.kind in ("active", "ended")
            pair = Pair(
                team_id=team,
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                proposed_by_id=mentor.id,
                cohort_id=cohorts.get((team, name)),
                status={
                    "proposed": PairStatus.PROPOSED,
                    "declined": PairStatus.DECLINED,
                    "expired": PairStatus.EXPIRED,
                    "active": PairStatus.ACTIVE,
                    "ended": PairStatus.ENDED,
                }[facts.kind],
                created_at=began - timedelta(days=2),
                # An expired proposal here had the mentor's yes but never the mentee's.
                mentor_accepted_at=began if facts.kind != "proposed" else None,
                mentee_accepted_at=began if accepted else None,
                declined_at=began if facts.kind == "declined" else None,
                activated_at=began if accepted else None,
                ended_at=now - timedelta(days=1) if facts.kind == "ended" else None,
            )
            session.add(pair)
            session.flush()
            if accepted:
                facts.signed_by = rng.choice([0, 1, 2, 2])
                if facts.signed_by:
                    version = CharterVersion(
                        team_id=team,
                        pair_id=pair.id,
                        version=1,
                        author_id=mentor.id,
                        created_at=began,
                        **DEFAULT_CHARTER,
                    )
                    session.add(version)
                    session.flush()
                    for member in (mentor, mentee)[: facts.signed_by]:
                        session.add(
                            CharterAck(
                                team_id=team,
                                charter_version_id=version.id,
                                person_id=member.id,
                                acked_at=began,
                            )
                        )
                for days in rng.sample([3, 10, 20, 29, 31, 38], rng.randint(0, 3)):
                    status = rng.choice(
                        [MeetingStatus.MET, MeetingStatus.MET, MeetingStatus.SKIPPED]
                    )
                    if status == MeetingStatus.MET:
                        facts.met_after_days.append(days)
                    session.add(
                        Meeting(
                            team_id=team,
                            pair_id=pair.id,
                            starts_at=began + timedelta(days=days, hours=2),
                            status=status,
                        )
                    )
            seeded.append(facts)
    return seeded


def expected(seeded: list[Seeded], team_id: str, cohort: str | None) -> dict[str, int]:
    """The funnel of a cohort (None: the whole workspace) by the documented rules."""
    pairs = [p for p in seeded if p.team_id == team_id and cohort in (None, p.cohort)]
    return {
        "proposed": len(pairs),
        "accepted": sum(p.kind in ("active", "ended") for p in pairs),
        "declined": sum(p.kind == "declined" for p in pairs),
        "unanswered": sum(p.kind == "proposed" for p in pairs),
        "expired": sum(p.kind == "expired" for p in pairs),
        "charter_signed": sum(p.signed_by == 2 for p in pairs),
        "first_met": sum(bool(p.met_after_days) for p in pairs),
        "still_meeting": sum(any(d >= 30 for d in p.met_after_days) for p in pairs),
    }


def test_the_funnel_export_counts_each_stage_per_cohort_and_workspace(
    tandem: Harness, tmp_path: Path
) -> None:
    seeded = seed(tandem, tandem.clock.now())
    rows = run_export(tandem, tmp_path, "--funnel")
    scopes = [(r["team_id"], r["scope"], r["cohort"]) for r in rows]
    ours, theirs = tandem.team_id, OTHER_TEAM
    assert scopes == sorted(
        [
            (ours, "workspace", ""),
            (ours, "cohort", "Autumn"),
            (ours, "cohort", "Winter"),
            (ours, "cohort", ""),
            (theirs, "workspace", ""),
            (theirs, "cohort", "Autumn"),
        ],
        key=lambda s: (s[0], s[1] != "workspace", not s[2] and s[1] == "cohort", s[2]),
    )
    for row in rows:
        cohort = None if row["scope"] == "workspace" else row["cohort"]
        want = expected(seeded, row["team_id"], cohort)
        assert {k: int(row[k]) for k in want} == want, row
        for stage in STAGES:
            assert row[f"{stage}_rate"] == f"{want[stage] / want['proposed']:.4f}", (row, stage)
    whole = expected(seeded, ours, None)
    bitten = ("accepted", "declined", "unanswered", "expired", "charter_signed")
    assert all(whole[stage] for stage in bitten), whole
    assert whole["first_met"] > whole["still_meeting"] > 0  # the seed bites on every stage
    only = run_export(tandem, tmp_path, "--funnel", "--team", theirs)
    assert {r["team_id"] for r in only} == {theirs} and len(only) == 2


def test_admins_see_the_funnel_in_slack_with_numbers_only(tandem: Harness) -> None:
    """A `table` block (Slack checked it: the emulator validates the message), and the same
    figures as fixed-width text in the message's text, the fallback where no table shows."""
    seeded = seed(tandem, tandem.clock.now())
    message = ephemeral_reply(tandem, ADMIN, "admin cohorts")
    shown = text_of(message)
    assert "Launch funnel" in shown
    [table] = [block for block in message["blocks"] if block["type"] == "table"]
    grid = [[cell["text"] for cell in row] for row in table["rows"]]
    assert grid[0][1:5] == ["Proposed", "Accepted", "Declined", "No answer"]
    assert grid[0][5] == "Expired"
    by_name = {row[0]: row[1:] for row in grid[1:]}
    fallback = message["text"][message["text"].index("```") + 3 :].split("```")[0].split("\n")
    in_text = {line[:18].strip(): line[18:].split() for line in fallback[1:]}
    for name, cohort in (
        ("Whole workspace", None),
        ("Autumn", "Autumn"),
        ("Winter", "Winter"),
        ("No cohort", ""),
    ):
        want = expected(seeded, tandem.team_id, cohort)
        cells = [str(want["proposed"])]
        for stage in STAGES:
            cells.append(f"{want[stage]} ({round(100 * want[stage] / want['proposed'])}%)")
        assert by_name[name] == cells, (name, grid)
        assert in_text[name] == " ".join(cells).split(), (name, fallback)
    assert "UFM" not in shown and "ufm" not in shown  # no one's name or id


def test_the_funnel_costs_the_same_statements_for_few_or_many_pairs(tandem: Harness) -> None:
    now = tandem.clock.now()
    costs = []
    for pairs, salt in ((6, 1), (40, 2)):
        seed(tandem, now, pairs=pairs, salt=salt)
        with tandem.session() as session, statements_on(tandem.ctx.engine) as seen:
            assert len(list(funnel_rows(session))) > 0
        costs.append(len(seen))
    assert costs[1] <= costs[0] <= 3, costs


def test_the_funnel_and_trends_exports_do_not_mix(tandem: Harness, tmp_path: Path) -> None:
    result = run_cli(tandem, tmp_path, "export", "--funnel", "--trends")
    assert result.returncode == 2 and "not allowed with" in result.stderr
    assert "Traceback" not in result.stderr


# -- bulk actions from the funnel ---------------------------------------------------------


def _bulk_seed(tandem: Harness, now: datetime) -> dict[str, list]:
    """Three proposals waiting (one on the mentor too), two declined pairs: one mentee never
    joined the pool, one mentor is in it, one mentor left it; one active pair."""
    made: dict[str, list] = {"waiting": [], "declined": []}
    with tandem.session() as session:
        ensure_workspace(session, tandem.team_id)
        people = {
            user_id: person(tandem, session, user_id, now)
            for user_id in [f"UBM{n}" for n in range(6)] + [f"UBE{n}" for n in range(6)]
        }
        for n, (status, mentor_said) in enumerate(
            [
                (PairStatus.PROPOSED, True),
                (PairStatus.PROPOSED, True),
                (PairStatus.PROPOSED, False),
                (PairStatus.DECLINED, True),
                (PairStatus.DECLINED, True),
                (PairStatus.ACTIVE, True),
            ]
        ):
            mentor, mentee = people[f"UBM{n}"], people[f"UBE{n}"]
            pair = Pair(
                team_id=tandem.team_id,
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                proposed_by_id=mentor.id,
                status=status,
                created_at=now - timedelta(days=3),
                mentor_accepted_at=now - timedelta(days=2) if mentor_said else None,
                mentee_accepted_at=now if status == PairStatus.ACTIVE else None,
                activated_at=now if status == PairStatus.ACTIVE else None,
                declined_at=now - timedelta(days=1) if status == PairStatus.DECLINED else None,
            )
            session.add(pair)
            session.flush()
            if status == PairStatus.PROPOSED:
                made["waiting"] += [mentee.user_id] + ([] if mentor_said else [mentor.user_id])
            if status == PairStatus.DECLINED:
                made["declined"].append(pair.id)
        # UBM3 is in the pool, UBM4 left it; UBE3 and UBE4 never joined.
        for user_id, in_pool in (("UBM3", True), ("UBM4", False)):
            session.add(
                JoinProfile(
                    team_id=tandem.team_id,
                    person_id=people[user_id].id,
                    role="mentor",
                    offers=["Python"],
                    in_pool=in_pool,
                )
            )
    return made


def _dms(tandem: Harness, user_id: str, words: str) -> int:
    channel = tandem.emulator.dm_channel(user_id)
    return sum(words in (m.get("text") or "") for m in tandem.emulator.messages(channel))


def _click(tandem: Harness, user_id: str, action_id: str) -> str:
    before = len(tandem.emulator.ephemeral_messages(user=user_id))
    assert tandem.slack.click(user_id, action_id, "workspace").ok
    return text_of(latest_ephemeral(tandem, user_id, before))


def test_the_funnel_reminds_the_unanswered_and_invites_the_declined_once(
    tandem: Harness,
) -> None:
    now = tandem.clock.now()
    made = _bulk_seed(tandem, now)
    tandem.stop_delivery()  # run_due alone sends, so what it sent is there once it returns
    shown = ephemeral_reply(tandem, ADMIN, "admin cohorts")
    buttons = [
        element["action_id"]
        for block in shown["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert {"programme.funnel.remind", "programme.funnel.rejoin"} <= set(buttons)

    said = _click(tandem, OUTSIDER, "programme.funnel.remind")
    assert "Only programme admins" in said
    said = _click(tandem, ADMIN, "programme.funnel.remind")
    assert "Reminded 4 people about 3 unanswered proposals" in said, said
    tandem.run_due()
    reminder = "reminder from your mentoring programme"
    everyone = [f"UBM{n}" for n in range(6)] + [f"UBE{n}" for n in range(6)]
    assert {u for u in everyone if _dms(tandem, u, reminder)} == set(made["waiting"])
    assert all(_dms(tandem, u, reminder) == 1 for u in made["waiting"])

    again = _click(tandem, ADMIN, "programme.funnel.remind")
    assert "reminded already" in again
    tandem.run_due()
    assert all(_dms(tandem, u, reminder) == 1 for u in made["waiting"])  # nothing more sent

    said = _click(tandem, ADMIN, "programme.funnel.rejoin")
    assert "2 declined proposals: 1 are in the matching pool" in said, said
    assert "2 invited to join it" in said and "1 left the pool themselves" in said
    tandem.run_due()
    invite = "puts you in the matching pool"
    assert {u for u in everyone if _dms(tandem, u, invite)} == {"UBE3", "UBE4"}
    assert "handled already" in _click(tandem, ADMIN, "programme.funnel.rejoin")
    with tandem.session() as session:
        actions = session.exec(select(AdminAction).order_by(AdminAction.id)).all()
    recorded = [(a.action, a.admin_user_id, a.created_at) for a in actions]
    assert (
        recorded == [("remind_unanswered", ADMIN, now)] * 3 + [("invite_to_pool", ADMIN, now)] * 2
    )
    assert [a.pair_id for a in actions[3:]] == made["declined"]

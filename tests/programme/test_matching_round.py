"""A matching round over 60 people who joined, over signed HTTP: capacity and timezones."""

import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.core.people import ensure_person, ensure_workspace
from bot.core.results import Refused
from bot.programme.blocks.rounds import round_message
from bot.programme.service.rounds import run_round
from storage.models import JoinProfile, MatchProposal, OutboxMessage, Pair, PairStatus, Person
from tests.programme.helpers import ephemeral_reply, join, latest_ephemeral, set_topics, text_of
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTOR, OUTSIDER, START, Harness

TOPICS = ["Python", "Design", "Leadership", "Career", "Sales", "Data"]
ZONES = [
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "America/Los_Angeles",
    "Asia/Kolkata",
]


def offset(zone: str) -> int:
    """Minutes east of UTC at the test's start, computed here independently of the app."""
    delta = START.astimezone(ZoneInfo(zone)).utcoffset()
    assert delta is not None
    return int(delta.total_seconds() // 60)


def overlap(a: str, b: str) -> int:
    """Shared minutes of two 09:00–17:00 days, by brute force over a day of minutes."""
    day = datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC"))
    minutes = 0
    for minute in range(24 * 60):
        instant = day.timestamp() + minute * 60
        local = [datetime.fromtimestamp(instant, ZoneInfo(z)) for z in (a, b)]
        if all(9 <= t.hour < 17 for t in local):
            minutes += 1
    return minutes


def test_a_round_over_sixty_people_respects_capacity_and_timezones(tandem: Harness) -> None:
    tandem.stop_delivery()
    set_topics(tandem, TOPICS)
    people = {}
    for n in range(60):
        user_id, zone = f"UPOOL{n:03d}", ZONES[n % len(ZONES)]
        tandem.emulator.add_user(user_id, f"pool{n}", tz=zone)
        role = ("mentor", "mentee", "mentee", "either")[n % 4]
        offers = [TOPICS[n % 6], TOPICS[(n + 1) % 6]] if role != "mentee" else []
        seeks = [TOPICS[(n * 5) % 6]] if role != "mentor" else []
        capacity = 1 + n % 3
        join(tandem, user_id, role, offers, seeks, capacity)
        people[user_id] = (zone, role, set(offers), set(seeks), capacity)

    assert "Only programme admins" in ephemeral_reply(tandem, OUTSIDER, "admin match")["text"]
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    shown = text_of(latest_ephemeral(tandem, ADMIN, before))
    assert "from a pool of 60" in shown

    with tandem.session() as session:
        proposals = session.exec(select(MatchProposal)).all()
        user_of = {p.id: p.user_id for p in session.exec(select(Person))}
    assert len(proposals) >= 20
    mentors = Counter(user_of[p.mentor_id] for p in proposals)
    mentees = Counter(user_of[p.mentee_id] for p in proposals)
    assert max(mentees.values()) == 1
    for mentor, count in mentors.items():
        zone, role, offers, seeks, capacity = people[mentor]
        assert role in ("mentor", "either") and count <= capacity
    for proposal in proposals:
        mentor, mentee = user_of[proposal.mentor_id], user_of[proposal.mentee_id]
        assert mentor != mentee
        assert set(proposal.shared_topics) == people[mentor][2] & people[mentee][3] != set()
        minutes = overlap(people[mentor][0], people[mentee][0])
        assert minutes >= 60 and proposal.overlap_minutes == minutes
        # The reasons are shown to the admin.
        assert f"<@{mentor}> → <@{mentee}>" in shown
    # Tokyo and Los Angeles share no working hours: never matched.
    far = {"Asia/Tokyo", "America/Los_Angeles"}
    assert not any(
        {people[user_of[p.mentor_id]][0], people[user_of[p.mentee_id]][0]} == far for p in proposals
    )

    # Drop one, send the rest: each kept match becomes a proposal both are asked to accept.
    dropped = proposals[0]
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.click(ADMIN, "programme.match.drop", str(dropped.id))
    assert "(dropped)" in text_of(latest_ephemeral(tandem, ADMIN, before))
    round_id = dropped.round_id
    assert "Only programme admins" in text_of(
        _click(tandem, OUTSIDER, "programme.match.send", str(round_id))
    )
    sent = text_of(_click(tandem, ADMIN, "programme.match.send", str(round_id)))
    assert f"{len(proposals) - 1} match(es) proposed" in sent
    with tandem.session() as session:
        pairs = session.exec(select(Pair)).all()
    assert len(pairs) == len(proposals) - 1
    assert all(p.status == PairStatus.PROPOSED for p in pairs)
    assert (dropped.mentor_id, dropped.mentee_id) not in {(p.mentor_id, p.mentee_id) for p in pairs}
    # Each side is asked (quiet hours in Tokyo hold some; more than three a day fold into a
    # digest): every invitation is queued once.
    assert invitations(tandem) == 2 * len(pairs)
    # Everyone the round left unmatched is told why, in one DM each.
    told = invitations(tandem, "programme.unmatched")
    assert told == 60 - len({p.mentor_id for p in proposals} | {p.mentee_id for p in proposals})
    report = tandem.run_due(START).delivery
    assert report.sent + report.held + report.folded == 2 * len(pairs) + told
    again = text_of(_click(tandem, ADMIN, "programme.match.send", str(round_id)))
    assert "sent already" in again
    assert invitations(tandem) == 2 * len(pairs)
    assert invitations(tandem, "programme.unmatched") == told

    # A second round never proposes the same two people again.
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    second = text_of(latest_ephemeral(tandem, ADMIN, before))
    for pair in pairs:
        with tandem.session() as session:
            mentor = session.get(Person, pair.mentor_id).user_id
            mentee = session.get(Person, pair.mentee_id).user_id
        assert f"<@{mentor}> → <@{mentee}>" not in second
    assert re.search(r"pool of \d+", second) or "a round needs both" in second


def invitations(tandem: Harness, kind: str = "pair.proposal") -> int:
    with tandem.session() as session:
        return len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)).all())


def _click(tandem: Harness, user_id: str, action_id: str, value: str) -> dict:
    before = len(tandem.emulator.ephemeral_messages(user=user_id))
    response = tandem.slack.click(user_id, action_id, value)
    assert response.ok
    return latest_ephemeral(tandem, user_id, before)


def test_open_pairs_use_up_a_mentor_s_capacity(tandem: Harness) -> None:
    """A mentor with room for 2 who already has an open pair is offered at most 1 more."""
    tandem.stop_delivery()
    set_topics(tandem, TOPICS)
    ref = create_active_pair(tandem)  # MENTOR already mentors MENTEE
    join(tandem, MENTOR, "mentor", offers=["Python"], capacity=2)
    seekers = [f"USEEK{n:03d}" for n in range(3)]
    for user_id in seekers:
        tandem.emulator.add_user(user_id, user_id.lower(), tz="Europe/Berlin")
        join(tandem, user_id, "mentee", seeks=["Python"])

    def round_for_mentor() -> list[str]:
        before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
        tandem.slack.command(ADMIN, "admin match")
        shown = text_of(latest_ephemeral(tandem, ADMIN, before))
        matched = re.findall(rf"<@{MENTOR}> → <@(USEEK\d+)>", shown)
        assert "from a pool of 4" in shown, shown
        return matched

    first = round_for_mentor()
    assert len(first) == 1 and first[0] in seekers  # 2 of capacity, 1 used by the open pair

    with tandem.session() as session:  # once that pair has ended, its place is free again
        pair = session.get(Pair, ref.pair_id)
        pair.status = PairStatus.ENDED
        session.add(pair)
    assert len(set(round_for_mentor())) == 2


def seed_pool(tandem: Harness, size: int) -> None:
    """`size` people in the pool, straight in the database (a launch's sign-ups)."""
    with tandem.session() as session:
        ensure_workspace(session, tandem.team_id)
        for n in range(size):
            person = Person(
                team_id=tandem.team_id,
                user_id=f"ULAUNCH{n:04d}",
                display_name=f"launch{n}",
                tz=ZONES[n % 2],  # London and Berlin: working days overlap
            )
            session.add(person)
            session.flush()
            mentor = n % 2 == 0
            session.add(
                JoinProfile(
                    team_id=tandem.team_id,
                    person_id=person.id,
                    role="mentor" if mentor else "mentee",
                    offers=[TOPICS[n % 6], TOPICS[(n + 2) % 6]] if mentor else [],
                    seeks=[] if mentor else [TOPICS[(n - 1) % 6]],
                    joined_at=START - timedelta(days=1, seconds=-n),
                )
            )


def test_a_launch_of_450_people_is_matched_whole_and_shown_page_by_page(tandem: Harness) -> None:
    seed_pool(tandem, 450)
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    first = latest_ephemeral(tandem, ADMIN, before)
    shown = text_of(first)
    assert "from a pool of 450" in shown and "wait for the next round" not in shown, shown
    with tandem.session() as session:
        proposals = session.exec(select(MatchProposal)).all()
    assert len(proposals) == 225  # every mentee has a mentor who offers what they seek
    pages = -(-225 // 40)
    assert f"Page 1 of {pages}." in shown and "Send 225 proposal(s)" in shown
    assert len(first["blocks"]) <= 50
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    assert tandem.slack.click(ADMIN, "programme.match.page.next", f"{proposals[0].round_id}:1").ok
    assert f"Page 2 of {pages}." in text_of(latest_ephemeral(tandem, ADMIN, before))


def test_beyond_one_round_s_size_the_admin_is_told_who_waits_and_why(tandem: Harness) -> None:
    seed_pool(tandem, 10)
    with tandem.session() as session:
        admin = ensure_person(
            session, tandem.ctx.client(tandem.team_id), tandem.team_id, ADMIN, START
        )
        view = run_round(session, admin, tandem.team_id, START, seed=1, max_pool=6)
        assert not isinstance(view, Refused)
        message = text_of(round_message(view))
        matched = {p.mentor_id for p, _, _ in view.proposals} | {
            p.mentee_id for p, _, _ in view.proposals
        }
        people = {p.id: p.user_id for p in session.exec(select(Person))}
    assert view.pool_size == 6 and view.left_out == 4
    assert "4 more people in the pool wait for the next round" in message
    assert "one round takes 6 people" in message
    # The longest-waiting come first: the six who joined earliest.
    assert {people[i] for i in matched} <= {f"ULAUNCH{n:04d}" for n in range(6)}

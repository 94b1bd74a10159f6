"""A matching round kept until it is sent, over signed HTTP: 200 joiners, the admin leaves,
comes back the next day from Home, turns a page, swaps one mentor, sends; sending twice
changes nothing, and everyone left unmatched is told why once."""

from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.core.people import ensure_workspace
from storage.models import JoinProfile, MatchProposal, MatchRound, OutboxMessage, Pair, Person
from tests.programme.helpers import latest_ephemeral, text_of
from tests.support.harness import ADMIN, OUTSIDER, START, Harness

TOPICS = ["Python", "Design", "Leadership", "Career"]


def seed_joiners(tandem: Harness) -> None:
    """60 mentors (3 places each) and 140 mentees in London and Berlin: one mentee in Tokyo
    (no mentor's hours overlap), one seeking a topic no mentor offers, four seeking "Data",
    which one mentor offers (so one finds every fitting mentor full); some with notes."""
    with tandem.session() as session:
        ensure_workspace(session, tandem.team_id)
        for n in range(200):
            mentor = n < 60
            zone = ("Europe/London", "Europe/Berlin")[n % 2]
            seeks = [TOPICS[n % 4]]
            if n == 198:
                zone = "Asia/Tokyo"
            if n == 199:
                seeks = ["Sales"]
            if 194 <= n < 198:
                seeks = ["Data"]
            offers = [TOPICS[n % 4], TOPICS[(n + 1) % 4]] + (["Data"] if n == 0 else [])
            tandem.emulator.add_user(f"UJ{n:04d}", f"j{n}", tz=zone)
            person = Person(
                team_id=tandem.team_id, user_id=f"UJ{n:04d}", display_name=f"j{n}", tz=zone
            )
            session.add(person)
            session.flush()
            session.add(
                JoinProfile(
                    team_id=tandem.team_id,
                    person_id=person.id,
                    role="mentor" if mentor else "mentee",
                    offers=offers if mentor else [],
                    seeks=[] if mentor else seeks,
                    capacity=3,
                    note=f"note of j{n}: keen on pairing" if n % 10 == 3 else "",
                    joined_at=START - timedelta(days=2, seconds=-n),
                )
            )


def clicked_view(tandem: Harness, method: str, click: Any) -> dict[str, Any]:
    """Click, then the modal as Slack shows it after `method` (views.open or views.update)."""
    before = len(tandem.emulator.calls(method))
    response = click()
    assert response.ok, response.body
    tandem.emulator.wait_for(method, count=before + 1)
    view = tandem.emulator.open_view(ADMIN)
    assert view is not None
    return view


def home_of(tandem: Harness, user_id: str = ADMIN) -> dict[str, Any]:
    before = len(tandem.emulator.calls("views.publish"))
    tandem.slack.open_home(user_id)
    tandem.emulator.wait_for("views.publish", count=before + 1)
    home = tandem.emulator.home(user_id)
    assert home is not None
    return home


def outbox(tandem: Harness, kind: str) -> list[OutboxMessage]:
    with tandem.session() as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)).all())


def test_a_round_of_200_left_reopened_next_day_swapped_and_sent_once(tandem: Harness) -> None:
    tandem.stop_delivery()
    seed_joiners(tandem)
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    first = text_of(latest_ephemeral(tandem, ADMIN, before))
    assert "from a pool of 200" in first and "programme.round.open" in first
    assert "1 no mentor offers their topic" in first  # counts by reason, no names
    with tandem.session() as session:
        proposals = session.exec(select(MatchProposal)).all()
        user_of = {p.id: p.user_id for p in session.exec(select(Person))}
    matched = len(proposals)
    assert matched == 140 - 3  # all but the three who can't be matched
    pages = -(-matched // 30)

    # The admin leaves; the next day Home offers the round, kept as it was.
    tandem.clock.set(START + timedelta(days=1))
    home = home_of(tandem)
    assert "Open matching round" in str(home)
    modal = clicked_view(
        tandem,
        "views.open",
        lambda: tandem.slack.click(ADMIN, "programme.round.open", view=home),
    )
    shown = text_of(modal)
    assert f"{matched} match(es)" in shown and f"Page 1 of {pages}" in shown
    # The join notes are beside their proposals; the unmatched are counted by reason.
    assert "note of j" in shown
    assert "1 no mentor offers their topic" in shown and "1 no mentor's hours overlap" in shown
    assert "1 every fitting mentor is full" in shown
    modal = clicked_view(
        tandem,
        "views.update",
        lambda: tandem.slack.click(ADMIN, "programme.round.page.next", view=modal),
    )
    assert f"Page 2 of {pages}" in text_of(modal)

    # Swap the first proposal on page 2 for one of the mentee's next-best mentors.
    target = proposals[30]
    modal = clicked_view(
        tandem,
        "views.update",
        lambda: tandem.slack.click(
            ADMIN, "programme.round.swap", view=modal, block_id=f"round.a.{target.id}"
        ),
    )
    choices = [b for b in modal["blocks"] if b.get("block_id", "").startswith("swap.U")]
    assert len(choices) == 3
    assert all("Shared topics" in b["text"]["text"] for b in choices)
    assert user_of[target.mentor_id] not in str(choices)
    new_mentor = choices[0]["block_id"].removeprefix("swap.")
    # A crafted choice (a mentee as the mentor) is refused kindly and changes nothing.
    crafted = text_of(_ephemeral_click(tandem, "programme.round.choose", f"{target.id}:1:UJ0199"))
    assert "no longer fits this mentee" in crafted
    modal = clicked_view(
        tandem,
        "views.update",
        lambda: tandem.slack.click(
            ADMIN, "programme.round.choose", view=modal, block_id=choices[0]["block_id"]
        ),
    )
    assert f"Swapped: <@{new_mentor}>" in text_of(modal) and f"Page 2 of {pages}" in text_of(modal)
    with tandem.session() as session:
        swapped = session.get(MatchProposal, target.id)
        assert user_of[swapped.mentor_id] == new_mentor
        assert swapped.mentee_id == target.mentee_id

    # Send from the modal: every match proposed, the unmatched told why once each.
    modal = clicked_view(
        tandem,
        "views.update",
        lambda: tandem.slack.click(ADMIN, "programme.round.send", view=modal),
    )
    assert f"was sent: {matched} match(es) proposed" in text_of(modal)
    with tandem.session() as session:
        pairs = session.exec(select(Pair)).all()
        round_ = session.exec(select(MatchRound)).one()
        outcomes = {p.outcome for p in session.exec(select(MatchProposal))}
    assert len(pairs) == matched, outcomes
    assert (swapped.mentor_id, swapped.mentee_id) in {(p.mentor_id, p.mentee_id) for p in pairs}
    told = {m.recipient_user_id: m.text for m in outbox(tandem, "programme.unmatched")}
    # The three mentees, and the mentors the round had no mentee for (unless the swap gave
    # them one), each told once.
    in_pairs = {user_of[p.mentor_id] for p in pairs} | {user_of[p.mentee_id] for p in pairs}
    left_out = {user_of[person_id] for person_id, _ in round_.unmatched}
    assert set(told) == left_out - in_pairs and len(told) >= 3
    assert "no mentor in the pool offers a topic" in told["UJ0199"]
    assert "none works hours that overlap yours" in told["UJ0198"]
    full = [user for user, text in told.items() if "full this time" in text]
    assert len(full) == 1 and 194 <= int(full[0][2:]) < 198

    # A second Send (a double click, or the old message's button) changes nothing.
    response = tandem.slack.click(ADMIN, "programme.match.send", str(round_.id))
    assert response.ok
    tandem.settle_listeners()
    with tandem.session() as session:
        assert len(session.exec(select(Pair)).all()) == matched
    assert len(outbox(tandem, "programme.unmatched")) == len(told)
    assert len(outbox(tandem, "pair.proposal")) == 2 * matched
    assert "Open matching round" not in str(home_of(tandem))


def test_a_discarded_round_sends_nothing_and_leaves_home(tandem: Harness) -> None:
    tandem.stop_delivery()
    seed_joiners(tandem)
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    latest_ephemeral(tandem, ADMIN, before)
    with tandem.session() as session:
        round_ = session.exec(select(MatchRound)).one()
        proposal = session.exec(select(MatchProposal)).first()
    # Anyone else is refused, naming no one, and the round stays as it was.
    for action_id, value in (
        ("programme.round.open", str(round_.id)),
        ("programme.round.swap", f"{proposal.id}:0"),
        ("programme.round.discard", str(round_.id)),
    ):
        refused = text_of(_ephemeral_click(tandem, action_id, value, OUTSIDER))
        assert "Only programme admins" in refused and "<@" not in refused
    assert "Open matching round" not in str(home_of(tandem, OUTSIDER))
    home = home_of(tandem)
    modal = clicked_view(
        tandem, "views.open", lambda: tandem.slack.click(ADMIN, "programme.round.open", view=home)
    )
    modal = clicked_view(
        tandem,
        "views.update",
        lambda: tandem.slack.click(ADMIN, "programme.round.discard", view=modal),
    )
    assert "discarded: nothing was sent" in text_of(modal)
    with tandem.session() as session:
        round_ = session.exec(select(MatchRound)).one()
        assert session.get(MatchProposal, proposal.id).mentor_id == proposal.mentor_id
    assert round_.discarded_at is not None
    again = text_of(_ephemeral_click(tandem, "programme.match.send", str(round_.id)))
    assert "discarded" in again
    with tandem.session() as session:
        assert session.exec(select(Pair)).all() == []
    assert outbox(tandem, "programme.unmatched") == []
    assert "Open matching round" not in str(home_of(tandem))


def _ephemeral_click(
    tandem: Harness, action_id: str, value: str, user_id: str = ADMIN
) -> dict[str, Any]:
    before = len(tandem.emulator.ephemeral_messages(user=user_id))
    assert tandem.slack.click(user_id, action_id, value).ok
    return latest_ephemeral(tandem, user_id, before)

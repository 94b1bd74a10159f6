"""The pairs at risk over signed HTTP: the list matches a seeded programme computed here
independently, every action changes the pair and is recorded, and only admins may act."""

import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from bot.programme.service.cohorts import programme_overview
from bot.programme.service.watch import at_risk_pairs
from storage.db import create_db_engine
from storage.models import AdminAction, OutboxMessage, Pair, PairStatus
from tests.programme.helpers import ephemeral_reply, latest_ephemeral, text_of
from tests.programme.seed import SeededPair, seed_programme
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness
from tests.support.statements import statements_on

DAY, WEEK = timedelta(days=1), timedelta(weeks=1)
WORDS = {
    "lapsed": "No meeting logged",
    "proposal": "Proposal unanswered",
    "health": "Health ",
    "review": "Review opened",
    "charter": "harter",
}


def expected_reasons(pair: SeededPair, now: datetime) -> list[tuple[str, int, datetime]]:
    """The oracle: the documented rules applied to what the test seeded."""
    if pair.status == "paused":
        return []
    if pair.status == "proposed":
        return [("proposal", 2, pair.started_at)] if now - pair.started_at >= 7 * DAY else []
    cadence = WEEK if pair.charter_acks else 2 * WEEK  # the charter's, else the default
    found = []
    since = max(pair.met_at, default=pair.started_at)
    missed = (now - since) // cadence
    if missed >= 2:
        found.append(("lapsed", min(6, 3 + missed - 2), since))
    window = max(pair.started_at, now - 12 * WEEK)
    expected = max(0, (now - window - DAY) // cadence) if now - window > DAY else 0
    kept = min(expected, sum(window <= t <= now for t in pair.met_at))
    weights = {"meetings": (40, kept / expected)} if expected else {}
    if now - pair.started_at >= 4 * WEEK:
        weights["feedback"] = (10, 0.0)  # nobody wrote feedback
    if now - pair.started_at >= 30 * DAY:
        weights["giving back"] = (10, 0.0)  # nor shared anything
    if weights:
        score = round(
            100 * sum(w * v for w, v in weights.values()) / sum(w for w, _ in weights.values())
        )
        if score < 40:
            found.append(("health", 3 if score < 20 else 2, now))
    opened = pair.review_opened_at
    if opened is not None and now - opened >= 7 * DAY and pair.review_answers < 2:
        found.append(("review", 1, opened))
    if now - pair.started_at >= 11 * DAY and pair.charter_acks < 2:  # after the day-10 nudge
        found.append(("charter", 1, pair.started_at))
    return sorted(found, key=lambda r: (-r[1], r[2], r[0]))


def shown_pairs(tandem: Harness) -> list[tuple[str, list[str]]]:
    """Every page of `/tandem admin pairs`, as (mentor, reason lines), in the order shown."""
    message = ephemeral_reply(tandem, ADMIN, "admin pairs")
    found: list[tuple[str, list[str]]] = []
    while True:
        for block in message["blocks"]:
            text = (block.get("text") or {}).get("text", "")
            head = re.match(r"\*<@(\w+)> → <@\w+>\*", text)
            if head:
                found.append(
                    (head.group(1), [ln[2:] for ln in text.splitlines() if ln[:2] == "• "])
                )
        nav = [
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == "programme.pairs.page.next"
        ]
        if not nav:
            return found
        before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
        tandem.slack.click(ADMIN, nav[0]["action_id"], nav[0]["value"])
        message = latest_ephemeral(tandem, ADMIN, before)


def test_the_at_risk_list_matches_the_seeded_programme(tandem: Harness) -> None:
    now = tandem.clock.now()
    seeded = seed_programme(tandem, pairs=36, seed=7, now=now)
    expected = [(p, expected_reasons(p, now)) for p in seeded]
    expected = [(p, r) for p, r in expected if r]
    expected.sort(
        key=lambda item: (
            -sum(w for _, w, _ in item[1]),
            min(s for *_, s in item[1]),
            item[0].pair_id,
        )
    )
    assert len(expected) > 10  # more than one page, and a real mix of reasons
    assert {code for _, reasons in expected for code, *_ in reasons} == set(WORDS)

    shown = shown_pairs(tandem)
    assert [mentor for mentor, _ in shown] == [p.mentor for p, _ in expected]
    for (mentor, lines), (_, reasons) in zip(shown, expected, strict=True):
        assert len(lines) == len(reasons), (mentor, lines, reasons)
        for line, (code, _, _) in zip(lines, reasons, strict=True):
            assert WORDS[code] in line, (mentor, line, code)
    assert "PRIVATE REVIEW NOTE" not in str(shown)


def count_statements(tandem: Harness, run: Callable[[], None]) -> int:
    """How many statements `run` costs (the background sender's are not counted)."""
    with statements_on(tandem.ctx.engine) as seen:
        run()
    return len(seen)


def test_admin_views_cost_the_same_statements_for_10_or_40_pairs(tandem: Harness) -> None:
    now = tandem.clock.now()
    costs = []
    for size, seed in ((10, 1), (40, 2)):
        seed_programme(tandem, pairs=size if not costs else size - 10, seed=seed, now=now)

        def views() -> None:
            with tandem.session() as session:
                at_risk_pairs(session, tandem.team_id, now)
                programme_overview(session, tandem.team_id, now)

        costs.append(count_statements(tandem, views))
    assert costs[1] <= costs[0], costs  # four times the pairs, no more statements


def click(tandem: Harness, user_id: str, action_id: str, value: str) -> str:
    before = len(tandem.emulator.ephemeral_messages(user=user_id))
    assert tandem.slack.click(user_id, action_id, value).ok
    return text_of(latest_ephemeral(tandem, user_id, before))


def test_actions_change_the_pair_are_recorded_and_confirmed(tandem: Harness) -> None:
    lapsed = create_active_pair(tandem)
    other = create_active_pair(tandem, mentee=OTHER_MENTEE)
    # run_due alone sends what the actions queue, so the pair's messages are there once it
    # returns (the background sender could still be posting them on a loaded machine).
    tandem.stop_delivery()
    tandem.clock.set(tandem.clock.now() + 5 * WEEK)  # no meetings: both lapsed
    assert f"<@{MENTOR}> → <@{MENTEE}>" in text_of(ephemeral_reply(tandem, ADMIN, "admin pairs"))

    # Only admins: every button refuses anyone else and changes nothing.
    for action in ("nudge", "pause", "end", "new_mentor"):
        said = click(tandem, OUTSIDER, f"programme.pair.{action}", str(lapsed.pair_id))
        assert "Only programme admins" in said
    with tandem.session() as session:
        assert session.get(Pair, lapsed.pair_id).status == PairStatus.ACTIVE
        assert session.exec(select(AdminAction)).all() == []

    said = click(tandem, ADMIN, "programme.pair.nudge", str(lapsed.pair_id))
    assert f"✅ Nudged <@{MENTOR}> and <@{MENTEE}>. Recorded: <@{ADMIN}>" in said
    assert "Europe/London>." in said  # the fallback on the admin's own clock, not UTC
    tandem.run_due()
    home = tandem.emulator.messages(lapsed.home_channel_id)
    assert any("gentle nudge from your mentoring programme" in m["text"] for m in home)
    # The list, redrawn under the notice; the day in each reader's own timezone (Slack's date
    # token), not UTC's.
    assert re.search(rf"Last action: <@{ADMIN}> nudged on <!date\^\d+\^{{date_short}}\|", said)
    again = click(tandem, ADMIN, "programme.pair.nudge", str(lapsed.pair_id))
    assert "less than a day ago" in again

    said = click(tandem, ADMIN, "programme.pair.pause", str(lapsed.pair_id))
    assert "✅ Paused" in said
    with tandem.session() as session:
        pair = session.get(Pair, lapsed.pair_id)
        assert pair.status == PairStatus.PAUSED
        assert pair.paused_until - tandem.clock.now() > 3 * WEEK
    tandem.run_due()
    assert any(
        "Your programme admin paused your mentorship" in m["text"]
        for m in tandem.emulator.messages(lapsed.home_channel_id)
    )

    said = click(tandem, ADMIN, "programme.pair.end", str(other.pair_id))
    assert "✅ Ended" in said
    with tandem.session() as session:
        pair = session.get(Pair, other.pair_id)
        assert (pair.status, pair.end_kind) == (PairStatus.ENDED, "programme")

    # Propose a new mentor for the paused pair's mentee: the consent flow again.
    tandem.slack.click(ADMIN, "programme.pair.new_mentor", str(lapsed.pair_id))
    tandem.emulator.wait_for("views.open", timeout=30)  # after the ack, in the background
    modal = tandem.emulator.open_view(ADMIN)
    assert modal["callback_id"] == "programme.new_mentor"
    response = tandem.slack.submit_view(ADMIN, modal, {("mentor", "value"): OUTSIDER})
    assert response.ok and not response.problems
    assert "Proposed <@UOUTSIDER1> as <@UMENTEE01>'s new mentor" in text_of(
        tandem.emulator.open_view(ADMIN)
    )
    with tandem.session() as session:
        new = session.exec(select(Pair).where(Pair.status == PairStatus.PROPOSED)).one()
        actions = session.exec(select(AdminAction).order_by(AdminAction.id)).all()
        asked = session.exec(
            select(OutboxMessage.channel).where(
                OutboxMessage.kind == "pair.proposal", OutboxMessage.pair_id == new.id
            )
        ).all()
    assert sorted(asked) == sorted([OUTSIDER, MENTEE])
    assert [(a.action, a.admin_user_id, a.pair_id) for a in actions] == [
        ("nudge", ADMIN, lapsed.pair_id),
        ("pause", ADMIN, lapsed.pair_id),
        ("end", ADMIN, other.pair_id),
        ("new_mentor", ADMIN, lapsed.pair_id),
    ]
    assert all(a.created_at == tandem.clock.now() for a in actions)


def test_crafted_or_stale_values_get_a_kind_answer(tandem: Harness) -> None:
    for action in ("nudge", "pause", "end", "new_mentor"):
        for value in ("999999", "abc", ""):
            said = click(tandem, ADMIN, f"programme.pair.{action}", value)
            assert "couldn't find that pair" in said
    assert "couldn't find that matching round" in click(tandem, ADMIN, "programme.match.send", "x")
    assert "couldn't find that matching round" in click(tandem, ADMIN, "programme.match.drop", "7")


def test_the_list_is_the_same_asked_a_few_pairs_at_a_time(tandem: Harness) -> None:
    """The charter and health queries take lists of pair ids: asked in chunks, the list is the
    same, and on SQLite a variable limit below the programme's size breaks nothing."""
    now = tandem.clock.now()
    seed_programme(tandem, pairs=45, seed=7, now=now)

    def shown(items: list) -> list[tuple[int, tuple]]:
        return [(item.pair.id, item.reasons) for item in items]

    with tandem.session() as session:
        whole = shown(at_risk_pairs(session, tandem.team_id, now))
    assert len(whole) >= 10
    for chunk in (1, 7, 44):
        with tandem.session() as session:
            assert shown(at_risk_pairs(session, tandem.team_id, now, chunk=chunk)) == whole
    if tandem.ctx.engine.dialect.name != "sqlite":
        return
    # A connection of its own: sqlite3 caches prepared statements per connection, and the
    # variable limit is checked when a statement is prepared.
    engine = create_db_engine(tandem.ctx.settings.database_url)
    try:
        for chunk, breaks in ((10_000, True), (20, False)):
            with Session(engine) as session:
                raw = session.connection().connection.driver_connection
                raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 30)  # as if 32,766 < pairs
                if breaks:  # one list of every pair's id, as before: breaks
                    with pytest.raises(OperationalError, match="too many SQL variables"):
                        at_risk_pairs(session, tandem.team_id, now, chunk=chunk)
                else:
                    assert shown(at_risk_pairs(session, tandem.team_id, now, chunk=chunk)) == whole
    finally:
        engine.dispose()

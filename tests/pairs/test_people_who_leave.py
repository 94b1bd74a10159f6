"""Someone deactivated in Slack (`user_change` with `deleted: true`, over signed HTTP): their
open pairs close as "left the workspace", the partner and the pair's admin are told once, and
they leave the matching pool. The same when a DM to them fails and users.info says so."""

import time
from collections.abc import Callable

from sqlmodel import select

from bot.core.people import ensure_person
from bot.delivery.service import dm_member
from storage.models import JoinProfile, Pair, PairStatus
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness


def _eventually(check: Callable[[], bool], timeout: float = 20) -> None:
    """The event is handled after Slack's acknowledgement: wait for what it changes."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the event changed nothing in time"
        time.sleep(0.05)


def _dms(tandem: Harness, user_id: str, words: str) -> int:
    channel = tandem.emulator.dm_channel(user_id)
    return sum(words in (m.get("text") or "") for m in tandem.emulator.messages(channel))


def _user(user_id: str, deleted: bool) -> dict:
    return {
        "type": "user_change",
        "user": {"id": user_id, "name": user_id.lower(), "deleted": deleted},
    }


def test_a_deactivated_mentor_leaves_pairs_and_pool_and_others_are_told_once(
    tandem: Harness,
) -> None:
    now = tandem.clock.now()
    tandem.stop_delivery()  # run_due alone sends, so what it sent is there once it returns
    active = create_active_pair(tandem)
    client = tandem.ctx.client(tandem.team_id)
    with tandem.session() as session:
        mentor, other, admin, outsider = (
            ensure_person(session, client, tandem.team_id, u, now)
            for u in (MENTOR, OTHER_MENTEE, ADMIN, OUTSIDER)
        )
        proposal = Pair(
            team_id=tandem.team_id,
            mentor_id=mentor.id,
            mentee_id=other.id,
            proposed_by_id=admin.id,
            created_at=now,
            updated_at=now,
        )
        elsewhere = Pair(  # not theirs: untouched
            team_id=tandem.team_id,
            mentor_id=outsider.id,
            mentee_id=other.id,
            proposed_by_id=admin.id,
            status=PairStatus.DECLINED,
            created_at=now,
        )
        session.add_all([proposal, elsewhere])
        session.add(
            JoinProfile(
                team_id=tandem.team_id,
                person_id=mentor.id,
                role="mentor",
                offers=["Python"],
                capacity=2,
            )
        )
        session.flush()
        proposal_id = proposal.id

    # A profile change that is not a deactivation changes nothing.
    assert tandem.slack.event(_user(MENTOR, deleted=False)).ok
    assert tandem.slack.event(_user(MENTOR, deleted=True)).ok

    def statuses() -> dict[int, tuple[str, str | None]]:
        with tandem.session() as session:
            return {p.id: (p.status, p.end_kind) for p in session.exec(select(Pair)).all()}

    _eventually(lambda: statuses()[active.pair_id] == (PairStatus.ENDED, "left"))
    assert statuses()[proposal_id] == (PairStatus.ENDED, "left")
    assert sorted(s for s, _ in statuses().values()) == sorted(
        [PairStatus.ENDED, PairStatus.ENDED, PairStatus.DECLINED]
    )
    with tandem.session() as session:
        profile = session.exec(select(JoinProfile)).one()
        assert profile.in_pool is False

    tandem.run_due()
    left = f"<@{MENTOR}> has left the workspace"
    assert _dms(tandem, MENTEE, left) == 1 and _dms(tandem, OTHER_MENTEE, left) == 1
    assert _dms(tandem, ADMIN, left) == 1  # the admin who proposed the second pair
    assert _dms(tandem, MENTOR, left) == 0 and _dms(tandem, OUTSIDER, left) == 0

    # Slack may say it again (a second change, a retry with a new id): no one hears twice.
    assert tandem.slack.event(_user(MENTOR, deleted=True)).ok
    tandem.settle_listeners()
    tandem.run_due()
    assert _dms(tandem, MENTEE, left) == 1 and _dms(tandem, ADMIN, left) == 1


def test_a_send_failing_for_a_deactivated_member_closes_their_pairs(tandem: Harness) -> None:
    tandem.stop_delivery()
    active = create_active_pair(tandem)
    kept = create_active_pair(tandem, mentor=OUTSIDER, mentee=OTHER_MENTEE)
    tandem.emulator.add_user(MENTEE, "mentee", deleted=True)  # Slack knows; Tandem doesn't yet
    with tandem.session() as session:
        pair = session.get(Pair, active.pair_id)
        dm_member(
            session,
            MENTEE,
            key="test.dm",
            kind="test",
            text="hello",
            deliver_after=tandem.clock.now(),
            pair=pair,
        )
    tandem.run_due()  # the DM fails (account_inactive), users.info says deactivated
    with tandem.session() as session:
        assert session.get(Pair, active.pair_id).end_kind == "left"
        assert session.get(Pair, kept.pair_id).status == PairStatus.ACTIVE
    tandem.run_due()
    assert _dms(tandem, MENTOR, f"<@{MENTEE}> has left the workspace") == 1

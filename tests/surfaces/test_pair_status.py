"""`/tandem status`: each of my pairs, its charter in brief, and lines other areas add."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from bot.core.membership import Membership
from bot.surfaces import status
from storage.models import Pair, PairStatus, Person
from tests.pairs.steps import open_charter, propose, submit_charter
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness


def status_of(tandem: Harness, user: str) -> tuple[str, list[dict]]:
    answer = tandem.slack.command(user, "status").json
    assert answer.get("response_type") == "ephemeral"
    return str(answer.get("blocks") or answer["text"]), answer.get("blocks") or []


def test_each_pair_with_partner_role_state_and_charter(tandem: Harness) -> None:
    create_active_pair(tandem)  # Maya mentors Noah, charter v1 signed by both
    propose(tandem, OTHER_MENTEE, MENTEE, OTHER_MENTEE)  # Ines asks Noah to mentor her

    shown, _ = status_of(tandem, MENTEE)
    assert f"*With <@{MENTOR}>* (they mentor you) · active since 2 Mar 2026" in shown
    assert "Charter v1: Weekly on Mondays at 10:00 (Europe/Berlin), 45 minutes, video call" in shown
    assert "Acknowledged by both of you" in shown
    assert f"*With <@{OTHER_MENTEE}>* (you mentor them) · proposed, waiting for you" in shown

    shown, _ = status_of(tandem, OTHER_MENTEE)
    assert f"proposed, waiting for <@{MENTEE}> to accept" in shown
    assert "Charter" not in shown


def test_a_version_waiting_for_me_can_be_acknowledged_from_status(tandem: Harness) -> None:
    create_active_pair(tandem)
    submit_charter(tandem, MENTOR, open_charter(tandem, MENTOR))
    shown, _ = status_of(tandem, MENTOR)
    assert f"Waiting for <@{MENTEE}> to acknowledge" in shown and "charter.ack" not in shown

    shown, blocks = status_of(tandem, MENTEE)
    assert "Waiting for you to acknowledge" in shown
    button = next(b["accessory"] for b in blocks if "accessory" in b)
    assert button["text"]["text"] == "Acknowledge v2"
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click(MENTEE, button["action_id"], button["value"])
    tandem.emulator.wait_for("response_url", count=before + 1)
    assert (
        "You acknowledged version 2" in tandem.emulator.ephemeral_messages(user=MENTEE)[-1]["text"]
    )
    assert "Acknowledged by both of you" in status_of(tandem, MENTOR)[0]


def test_no_pairs_yet(tandem: Harness) -> None:
    assert "Start one with `/tandem pair @mentor @mentee`" in status_of(tandem, OUTSIDER)[0]


def test_other_areas_add_lines_per_pair(tandem: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    def next_meeting(
        session: Session, memberships: list[Membership], now: datetime
    ) -> dict[int, list[str]]:
        return {
            m.pair.id: [f"Next meeting with {m.partner.real_name}: soon ({now:%d %b})"]
            for m in memberships
        }

    parts = tandem.ctx.parts
    more = replace(parts, status_lines=(*parts.status_lines, next_meeting))
    monkeypatch.setattr(tandem.ctx, "parts", more)
    create_active_pair(tandem)
    shown, _ = status_of(tandem, MENTOR)
    assert shown.index("Charter v1") < shown.index("Next meeting with Noah: soon (02 Mar)")


def test_many_pairs_stay_inside_one_message(tandem: Harness) -> None:
    for number in range(status.MAX_PAIRS_SHOWN + 2):
        user = f"UMANY{number:04d}"
        tandem.emulator.add_user(user, f"mentee{number}", tz="Europe/Paris")
        create_active_pair(tandem, mentor=ADMIN, mentee=user)
    shown, blocks = status_of(tandem, ADMIN)
    assert len(blocks) <= 50
    assert f"Showing {status.MAX_PAIRS_SHOWN} of your {status.MAX_PAIRS_SHOWN + 2} pairs" in shown


def test_a_paused_pair_says_until_when(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        pair.status = PairStatus.PAUSED  # as /tandem pause leaves it
        pair.paused_until = datetime(2026, 4, 1, 8, tzinfo=UTC)
        session.add(pair)
    assert "· paused until 1 Apr 2026" in status_of(tandem, MENTEE)[0]


@pytest.mark.parametrize("zone", ["Europe", "Mars/Olympus_Mons"])
def test_a_profile_timezone_this_machine_does_not_know_still_gets_a_status(
    tandem: Harness, zone: str
) -> None:
    # Slack's profile names the zone; a region (a directory of the zone database) or a zone
    # newer than this machine's database must not break the person's commands.
    create_active_pair(tandem)
    with tandem.session() as session:
        for person in session.exec(select(Person).where(Person.user_id == MENTOR)):
            person.tz = zone
            session.add(person)
    shown, _ = status_of(tandem, MENTOR)
    assert f"*With <@{MENTEE}>* (you mentor them)" in shown

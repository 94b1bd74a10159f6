"""`/tandem admin import` over signed HTTP: pasted lines are checked one by one, valid ones
become proposals through the consent flow, refused ones are reported with their reason, and
submitting the same lines again changes nothing."""

from typing import Any

from sqlalchemy import func
from sqlmodel import select

from storage.models import OutboxMessage, Pair, PairStatus
from tests.programme.helpers import command_modal, text_of
from tests.reflection.helpers import wait_dm
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness

LINA = "ULINA0001"
PASTED = "\n".join(
    [
        f"<@{MENTOR}>,<@{MENTEE}>",
        f"lina@example.com,{OTHER_MENTEE},Spring",
        f"{MENTOR},{MENTOR}",
        f"nobody@example.com,{OTHER_MENTEE}",
        "just one column",
    ]
)


def submit_lines(tandem: Harness, text: str) -> dict[str, Any]:
    """Paste `text` into the import modal and submit; the report the modal turns into."""
    modal = command_modal(tandem, ADMIN, "admin import")
    updates = len(tandem.emulator.calls("views.update"))
    response = tandem.slack.submit_view(ADMIN, modal, {("lines", "value"): text})
    assert response.ok and response.json["response_action"] == "update", response.body
    assert "Checking" in text_of(response.json["view"]) or response.json["view"]
    tandem.emulator.wait_for("views.update", count=updates + 1)
    report = tandem.emulator.open_view(ADMIN)
    assert report is not None
    tandem.slack.close_view(ADMIN, report)  # the admin reads it and closes the modal
    return report


def proposals(tandem: Harness) -> tuple[list[tuple[str, str]], int]:
    with tandem.session() as session:
        pairs = session.exec(select(Pair).where(Pair.status == PairStatus.PROPOSED)).all()
        asked = session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "pair.proposal")
        ).one()
        return sorted((str(p.mentor_id), str(p.mentee_id)) for p in pairs), asked


def test_pasted_lines_become_proposals_or_reasons_and_a_rerun_changes_nothing(
    tandem: Harness,
) -> None:
    tandem.emulator.add_user(LINA, "lina", tz="Europe/Paris", email="lina@example.com")
    shown = text_of(submit_lines(tandem, PASTED))
    assert "2 pairs proposed, 3 lines refused" in shown, shown
    assert f"✅ line 1: <@{MENTOR}> → <@{MENTEE}>" in shown
    assert f"✅ line 2: <@{LINA}> → <@{OTHER_MENTEE}> (Spring)" in shown
    assert f"⚠️ line 3: <@{MENTOR}> is named as both mentor and mentee" in shown
    assert "⚠️ line 4: nobody in this workspace has the email nobody@example.com" in shown
    assert "⚠️ line 5: mentor: “just one column” is not a Slack user id" in shown
    pairs, asked = proposals(tandem)
    assert len(pairs) == 2 and asked == 4  # both people of each pair are asked to accept
    tandem.run_due()
    for person in (MENTOR, MENTEE, LINA, OTHER_MENTEE):
        wait_dm(tandem, person, f"<@{ADMIN}> suggests a mentoring pair")

    again = text_of(submit_lines(tandem, PASTED))
    assert "0 pairs proposed, 5 lines refused" in again, again
    assert "line 1: there's already a proposal for" in again.lower()
    assert proposals(tandem) == (pairs, asked)


def test_a_submission_by_someone_else_is_refused_and_imports_nothing(tandem: Harness) -> None:
    modal = command_modal(tandem, ADMIN, "admin import")
    state = {"values": {"lines": {"value": {"type": "plain_text_input", "value": PASTED}}}}
    response = tandem.slack.submit_crafted(OUTSIDER, modal, state)
    assert response.ok and response.json["response_action"] == "errors"
    assert "admin" in response.json["errors"]["lines"]
    assert proposals(tandem) == ([], 0)


def test_pasted_text_that_is_no_list_of_pairs_is_a_field_error(tandem: Harness) -> None:
    modal = command_modal(tandem, ADMIN, "admin import")
    wrong = "name,email\nMaya,maya@example.com"
    response = tandem.slack.submit_view(ADMIN, modal, {("lines", "value"): wrong})
    assert response.json["response_action"] == "errors"
    assert "mentor,mentee" in response.json["errors"]["lines"]
    assert proposals(tandem) == ([], 0)

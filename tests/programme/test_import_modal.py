"""`/tandem admin import` over signed HTTP: pasted lines are checked one by one into a preview
(valid by cohort, refused with their reason) that proposes nothing; only its Send button
proposes the valid ones through the consent flow, once; submitting the same lines again
changes nothing."""

from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.programme.blocks.imports import CANCEL_ACTION, SEND_ACTION
from storage.models import OutboxMessage, Pair, PairStatus
from tests.programme.helpers import command_modal, text_of
from tests.reflection.helpers import dms, wait_dm
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, START, Harness

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
    """Paste `text` into the import modal and submit; the preview that comes by DM."""
    modal = command_modal(tandem, ADMIN, "admin import")
    # Counted in what was posted: a preview already sent has become its report meanwhile.
    previews = len(
        [
            call
            for call in tandem.emulator.calls("chat.postMessage")
            if call.args.get("channel") == ADMIN and "Import preview" in str(call.args.get("text"))
        ]
    )
    response = tandem.slack.submit_view(ADMIN, modal, {("lines", "value"): text})
    assert response.ok and response.json["response_action"] == "update", response.body
    # The modal's answer is final: it says where the preview goes, and nothing updates it.
    assert "preview comes to your DM" in text_of(response.json["view"])
    preview = wait_dm(tandem, ADMIN, "Import preview", count=previews + 1)
    assert tandem.emulator.calls("views.update") == []
    closing = tandem.emulator.open_view(ADMIN)
    assert closing is not None and "preview comes to your DM" in text_of(closing)
    tandem.slack.close_view(ADMIN, closing)
    return preview


def press(tandem: Harness, preview: dict[str, Any], action_id: str) -> dict[str, Any]:
    """Press a button of the preview in the admin's DM; the message it turned into."""
    updates = len(tandem.emulator.calls("chat.update"))
    response = tandem.slack.click_button_in(preview, ADMIN, action_id=action_id)
    assert response.ok, response.body
    tandem.emulator.wait_for("chat.update", count=updates + 1)
    [now] = [m for m in dms(tandem, ADMIN) if m["ts"] == preview["ts"]]
    return now


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
    preview = submit_lines(tandem, PASTED)
    shown = text_of(preview)
    assert "2 pairs valid, ready to propose, 3 lines refused" in shown, shown
    assert "By cohort: Spring 1, no cohort 1" in shown
    assert "New cohort “Spring” will be created" in shown
    assert f"✅ line 1: <@{MENTOR}> → <@{MENTEE}>" in shown
    assert f"✅ line 2: <@{LINA}> → <@{OTHER_MENTEE}> (Spring)" in shown
    assert f"⚠️ line 3: <@{MENTOR}> is named as both mentor and mentee" in shown
    assert "⚠️ line 4: nobody in this workspace has the email nobody@example.com" in shown
    assert "⚠️ line 5: mentor: “just one column” is not a Slack user id" in shown
    assert "Send 2 proposals" in shown
    assert proposals(tandem) == ([], 0)  # a preview proposes nothing

    sent = text_of(press(tandem, preview, SEND_ACTION))
    assert "2 pairs proposed, 3 lines refused" in sent, sent
    assert f"✅ line 2: <@{LINA}> → <@{OTHER_MENTEE}> (Spring)" in sent
    assert SEND_ACTION not in sent
    pairs, asked = proposals(tandem)
    assert len(pairs) == 2 and asked == 4  # both people of each pair are asked to accept
    tandem.run_due()
    for person in (MENTOR, MENTEE, LINA, OTHER_MENTEE):
        wait_dm(tandem, person, f"<@{ADMIN}> suggests a mentoring pair")

    # A second click on the same Send (a double click, an old copy) sends nothing twice.
    import_id = next(b["value"] for b in buttons(preview) if b["action_id"] == SEND_ACTION)
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click(ADMIN, SEND_ACTION, value=import_id)
    said = tandem.emulator.wait_for("response_url", count=before + 1)[-1].args["text"]
    assert "sent already" in said and proposals(tandem) == (pairs, asked)

    again = text_of(submit_lines(tandem, PASTED))
    assert "0 pairs valid, ready to propose, 5 lines refused" in again, again
    assert "line 1: there's already a proposal for" in again.lower()
    assert SEND_ACTION not in again
    assert proposals(tandem) == (pairs, asked)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_a_cancelled_preview_sends_nothing_ever(tandem: Harness) -> None:
    preview = submit_lines(tandem, f"{MENTOR},{MENTEE}")
    assert "Send 1 proposal" in text_of(preview)
    cancelled = text_of(press(tandem, preview, CANCEL_ACTION))
    assert "Import cancelled: nothing was sent." in cancelled and SEND_ACTION not in cancelled
    import_id = next(b["value"] for b in buttons(preview) if b["action_id"] == SEND_ACTION)
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click(ADMIN, SEND_ACTION, value=import_id)
    said = tandem.emulator.wait_for("response_url", count=before + 1)[-1].args["text"]
    assert "cancelled" in said and proposals(tandem) == ([], 0)


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


def test_the_same_two_can_be_imported_again_once_their_proposal_expired(tandem: Harness) -> None:
    line = f"{MENTOR},{MENTEE}"
    press(tandem, submit_lines(tandem, line), SEND_ACTION)
    again = text_of(submit_lines(tandem, line))
    assert "0 pairs valid, ready to propose, 1 line refused" in again, again  # still open

    tandem.run_due(START + timedelta(days=14))  # nobody answered: the proposal expired
    sent = text_of(press(tandem, submit_lines(tandem, line), SEND_ACTION))
    assert "1 pair proposed." in sent, sent
    with tandem.session() as session:
        statuses = sorted(p.status for p in session.exec(select(Pair)))
    assert statuses == [PairStatus.EXPIRED, PairStatus.PROPOSED]

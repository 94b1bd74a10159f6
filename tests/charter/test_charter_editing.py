"""Writing and revising the charter in its modal, and acknowledging versions."""

from typing import Any

import pytest
from sqlmodel import select

from storage.models import CharterAck, CharterVersion, OutboxMessage, OutboxStatus
from tests.pairs.steps import (
    CHARTER_INPUT,
    click,
    click_in_dm,
    count,
    delivered,
    open_charter,
    propose,
    submit_charter,
)
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, Harness


def element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def initial(view: dict[str, Any], block_id: str) -> Any:
    found = element(view, block_id)
    option = found.get("initial_option")
    if option is not None:
        return option["value"]
    return found.get("initial_value", found.get("initial_time"))


def private_reply(tandem: Harness, user: str, text: str) -> str:
    response = tandem.slack.command(user, text)
    assert response.json.get("response_type") == "ephemeral"
    return response.json["text"]


@pytest.mark.parametrize(
    ("proposer", "zone"), [(MENTOR, "Europe/Berlin"), (MENTEE, "America/New_York")]
)
def test_a_new_charter_meets_in_the_proposers_timezone(
    tandem: Harness, proposer: str, zone: str
) -> None:
    propose(tandem, proposer, MENTOR, MENTEE)
    other = MENTEE if proposer == MENTOR else MENTOR
    click_in_dm(tandem, other, "pair.proposal", "pair.accept")
    form = open_charter(tandem, other)
    assert initial(form, "timezone") == zone
    assert initial(form, "cadence") == "biweekly"  # the programme's default
    assert initial(form, "mentor_objectives") is None
    offered = [o["value"] for o in element(form, "timezone")["options"]]
    assert {"Europe/Berlin", "America/New_York"} <= set(offered) and len(offered) <= 100
    assert len(form["blocks"]) <= 100


def test_the_form_is_prefilled_with_the_current_version(tandem: Harness) -> None:
    create_active_pair(tandem)
    form = open_charter(tandem, MENTEE)
    assert initial(form, "mentor_objectives") == "Help Noah grow into a tech lead."
    assert initial(form, "focus_areas") == "system design\nstakeholders\ncareer"
    assert initial(form, "cadence") == "weekly" and initial(form, "meeting_time") == "10:00"
    assert initial(form, "session_minutes") == "45"


def test_nothing_is_saved_until_every_field_is_right(tandem: Harness) -> None:
    create_active_pair(tandem, charter=None)
    form = open_charter(tandem, MENTOR)
    response = submit_charter(
        tandem, MENTOR, form, mentee_objectives="   ", session_minutes="5", async_channel="x" * 300
    )
    errors = response.json["errors"]
    assert response.json["response_action"] == "errors" and response.problems == []
    assert set(errors) == {"mentee_objectives", "session_minutes", "async_channel"}
    assert "200 characters" in errors["async_channel"]
    assert count(tandem, CharterVersion) == 0 and count(tandem, OutboxMessage) == 0
    # The modal stays open with what they typed; fixing it saves.
    assert tandem.emulator.open_view(MENTOR)["id"] == form["id"]
    assert submit_charter(tandem, MENTOR, form).problems == []
    assert count(tandem, CharterVersion) == 1


def test_a_time_that_does_not_parse_is_refused(tandem: Harness) -> None:
    # Slack's timepicker only sends HH:MM; a crafted form with a text box must fare no better.
    create_active_pair(tandem, charter=None)
    form = open_charter(tandem, MENTOR)
    for block in form["blocks"]:
        if block.get("block_id") == "meeting_time":
            block["element"] = {"type": "plain_text_input", "action_id": "charter.meeting_time"}
    tandem.slack.close_view(MENTOR, form)
    crafted = {**form, "id": "VCRAFTED01"}
    response = submit_charter(tandem, MENTOR, crafted, meeting_time="half past ten")
    assert response.json["errors"] == {"meeting_time": "Please pick a time, like 10:00."}
    assert count(tandem, CharterVersion) == 0


def test_saving_without_changes_makes_no_version(tandem: Harness) -> None:
    create_active_pair(tandem)
    form = open_charter(tandem, MENTOR)
    assert tandem.slack.submit_view(MENTOR, form).problems == []
    assert "Nothing changed, so version 1 stays" in str(tandem.emulator.open_view(MENTOR))
    assert count(tandem, CharterVersion) == 1 and count(tandem, OutboxMessage) == 0


def test_the_partner_sees_what_changed_and_the_author_has_signed(tandem: Harness) -> None:
    create_active_pair(tandem)
    form = open_charter(tandem, MENTOR)
    changes = {"charter.focus_areas": "hiring\ncareer", "charter.celebration_sharing": "never"}
    assert tandem.slack.submit_view(MENTOR, form, changes).problems == []
    ask = delivered(tandem, "charter.ack_request", MENTEE)[0]
    shown = str(ask["blocks"])
    assert "*Focus areas:* hiring, career" in shown
    assert "*Celebration sharing:* Keep our wins between us" in shown
    assert "Meeting time" not in shown
    with tandem.session() as session:
        v2 = session.exec(select(CharterVersion).where(CharterVersion.version == 2)).one()
        assert v2.change_summary == "Changed: focus areas, celebration sharing."
        acks = session.exec(select(CharterAck).where(CharterAck.charter_version_id == v2.id))
        assert [a.person_id for a in acks] == [v2.author_id]


def test_stale_and_repeated_acknowledgements_change_nothing(tandem: Harness) -> None:
    create_active_pair(tandem)
    submit_charter(tandem, MENTOR, open_charter(tandem, MENTOR))  # v2
    first_ask = delivered(tandem, "charter.ack_request", MENTEE)[0]
    submit_charter(tandem, MENTOR, open_charter(tandem, MENTOR), session_minutes="60")  # v3
    second_ask = delivered(tandem, "charter.ack_request", MENTEE, n=2)[-1]

    click(tandem, first_ask, MENTEE, "charter.ack")
    stale = tandem.emulator.message(first_ask["channel"], first_ask["ts"])["text"]
    assert "Version 2 has been replaced by version 3" in stale
    click(tandem, second_ask, MENTEE, "charter.ack")
    with tandem.session() as session:
        assert len(session.exec(select(CharterAck)).all()) == 2 + 1 + 2

    before = len(tandem.emulator.calls("response_url"))
    version_id = second_ask["blocks"][-1]["elements"][0]["value"]
    tandem.slack.click(MENTEE, "charter.ack", version_id)  # a copy of the button, pressed again
    tandem.slack.click(MENTOR, "charter.ack", version_id)  # the author
    tandem.emulator.wait_for("response_url", count=before + 2)
    assert (
        "already acknowledged version 3"
        in tandem.emulator.ephemeral_messages(user=MENTEE)[-1]["text"]
    )
    assert "You wrote version 3" in tandem.emulator.ephemeral_messages(user=MENTOR)[-1]["text"]
    assert count(tandem, CharterAck) == 5


def test_with_several_pairs_the_modal_asks_which(tandem: Harness) -> None:
    create_active_pair(tandem)
    create_active_pair(tandem, mentee=OTHER_MENTEE, charter=None)
    picker = open_charter(tandem, MENTOR)
    assert picker["callback_id"] == "charter.pick"
    options = element(picker, "pair")["options"]
    assert [o["text"]["text"] for o in options] == [
        "with Noah (you mentor)",
        "with Ines (you mentor)",
    ]
    ines = options[1]["value"]
    assert tandem.slack.submit_view(MENTOR, picker, {"pair.pick": ines}).problems == []
    form = tandem.emulator.open_view(MENTOR)
    assert form["callback_id"] == "charter.save" and "Ines" in str(form["blocks"])
    assert submit_charter(tandem, MENTOR, form).problems == []
    delivered(tandem, "charter.ack_request", OTHER_MENTEE)
    with tandem.session() as session:
        newest = session.exec(select(CharterVersion).order_by(CharterVersion.id.desc())).first()
        assert (newest.pair_id, newest.version) == (int(ines), 1)


def test_naming_the_partner_picks_the_pair_directly(tandem: Harness) -> None:
    create_active_pair(tandem)
    create_active_pair(tandem, mentee=OTHER_MENTEE, charter=None)
    form = open_charter(tandem, MENTOR, f"charter <@{OTHER_MENTEE}|ines>")
    assert form["callback_id"] == "charter.save" and "Ines" in str(form["blocks"])


def test_charter_commands_without_a_pair_or_that_make_no_sense(tandem: Harness) -> None:
    for text, answer in [
        ("charter", "You're not in an active mentoring pair yet"),
        ("charter history", "You're not in an active mentoring pair yet"),
        ("charter please", "Try `/tandem charter`"),
        ("charter history two", "Try `/tandem charter`"),
    ]:
        assert answer in private_reply(tandem, MENTOR, text), text
    assert not tandem.emulator.calls("views.open")


def test_charter_input_covers_every_part_of_the_form(tandem: Harness) -> None:
    create_active_pair(tandem)
    form = open_charter(tandem, MENTOR)
    action_ids = {b["element"]["action_id"] for b in form["blocks"] if b["type"] == "input"}
    # The start date is the one part a typical pair leaves empty (the next slot).
    assert action_ids == set(CHARTER_INPUT) | {"charter.starts_on"}


def test_a_request_to_sign_a_replaced_version_is_not_sent(tandem: Harness) -> None:
    pair_id = create_active_pair(tandem).pair_id
    tandem.stop_delivery()
    submit_charter(tandem, MENTOR, open_charter(tandem, MENTOR))  # v2
    submit_charter(tandem, MENTEE, open_charter(tandem, MENTEE), session_minutes="30")  # v3
    tandem.run_due()
    with tandem.session() as session:
        rows = {
            r.key: r.status
            for r in session.exec(select(OutboxMessage))
            if r.kind == "charter.ack_request"
        }
    key = f"charter.ack_request:{pair_id}"
    assert rows == {f"{key}:2": OutboxStatus.EXPIRED, f"{key}:3": OutboxStatus.SENT}
    assert "version 3" in tandem.emulator.messages(MENTOR)[-1]["text"]


def test_saving_says_when_the_slot_falls_for_the_partner(tandem: Harness) -> None:
    create_active_pair(tandem, charter=None)
    early = submit_charter(
        tandem,
        MENTOR,
        open_charter(tandem, MENTOR),
        meeting_time="10:00",
        timezone="Europe/Berlin",
        weekday="0",
    )
    saved = str(early.json["view"])
    assert "For Noah that is Monday 04:00 (America/New_York)" in saved
    assert "outside working hours for Noah (before 8 in the morning" in saved
    # 07:00 in New York is not the night, but it is before the working day.
    breakfast = submit_charter(
        tandem,
        MENTOR,
        open_charter(tandem, MENTOR),
        meeting_time="13:00",
        timezone="Europe/Berlin",
        weekday="0",
    )
    assert "Monday 07:00 (America/New_York)" in str(breakfast.json["view"])
    assert "outside working hours for Noah" in str(breakfast.json["view"])
    # 20:00 in Berlin is Maya's evening: she is told it is outside hers.
    evening = submit_charter(
        tandem,
        MENTOR,
        open_charter(tandem, MENTOR),
        meeting_time="20:00",
        timezone="Europe/Berlin",
        weekday="0",
    )
    assert "outside working hours for you (before" in str(evening.json["view"])
    later = submit_charter(
        tandem,
        MENTOR,
        open_charter(tandem, MENTOR),
        meeting_time="16:00",
        timezone="Europe/Berlin",
        weekday="0",
    )
    assert "Monday 10:00 (America/New_York)" in str(later.json["view"])
    assert "outside working hours" not in str(later.json["view"])

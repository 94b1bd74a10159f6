"""A third person learns nothing about a pair, from any entry point: not even that it exists."""

import json

import pytest

from bot.core.membership import NO_PAIR, NOT_FOUND
from storage.models import CharterAck, CharterVersion, Pair, PairStatus
from tests.pairs.steps import count, open_charter, propose, the_pair
from tests.support.factories import DEFAULT_CHARTER, PairRef, create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness

NOBODY_HAS_THIS_ID = "987654"


def private_click(tandem: Harness, user: str, action_id: str, value: str) -> str:
    """`user` presses a copied button; the text of Tandem's private answer."""
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click(user, action_id, value)
    tandem.emulator.wait_for("response_url", count=before + 1)
    return tandem.emulator.ephemeral_messages(user=user)[-1]["text"]


@pytest.fixture
def pair(tandem: Harness) -> PairRef:
    """Maya and Noah's pair with a charter; Ines is in a pair of her own with the admin."""
    ref = create_active_pair(tandem)
    their_own = {
        **DEFAULT_CHARTER,
        "mentor_objectives": "Share what I know about hiring.",
        "mentee_objectives": "Run my first interview loop.",
        "success_looks_like": "Ines hires well.",
    }
    create_active_pair(tandem, mentor=ADMIN, mentee=OTHER_MENTEE, charter=their_own)
    return ref


COMMANDS = ["status", "charter", "charter history", "charter history 1", f"charter <@{MENTOR}|m>"]
BUTTONS = [
    ("pair.accept", "pair"),
    ("pair.decline", "pair"),
    ("charter.open", "pair"),
    ("charter.ack", "charter"),
    ("charter.view_version", "charter"),
    ("charter.view_version.1", "charter"),
]


@pytest.mark.parametrize("stranger", [OUTSIDER, OTHER_MENTEE])
def test_commands_show_a_stranger_nothing_of_the_pair(
    tandem: Harness, pair: PairRef, stranger: str
) -> None:
    for text in COMMANDS:
        opened_before = len(tandem.emulator.calls("views.open"))
        response = tandem.slack.command(stranger, text)
        shown = json.dumps(response.json) if response.json else ""
        if not shown:  # acknowledged without words: a modal of their own is on its way
            tandem.emulator.wait_for("views.open", count=opened_before + 1)
            shown = json.dumps(tandem.emulator.open_view(stranger))
        assert "Noah" not in shown and MENTEE not in shown and "tech lead" not in shown, text
        if stranger == OUTSIDER:
            expected = (NO_PAIR, f"You don't have an active pair with <@{MENTOR}>.")
            assert response.json["text"] in expected, text


def test_copied_buttons_answer_a_stranger_as_if_nothing_existed(
    tandem: Harness, pair: PairRef
) -> None:
    for action_id, kind in BUTTONS:
        real_id = str(pair.pair_id if kind == "pair" else pair.charter_id)
        about_theirs = private_click(tandem, OUTSIDER, action_id, real_id)
        about_nothing = private_click(tandem, OUTSIDER, action_id, NOBODY_HAS_THIS_ID)
        assert about_theirs == about_nothing == NOT_FOUND, action_id
    assert not tandem.emulator.calls("views.open") and not tandem.emulator.calls("chat.update")
    with tandem.session() as session:
        assert session.get(Pair, pair.pair_id).status == PairStatus.ACTIVE
    assert count(tandem, CharterAck) == 4  # two pairs, each v1 signed by both


def test_a_stranger_cannot_answer_someone_elses_proposal(tandem: Harness) -> None:
    propose(tandem, ADMIN, MENTOR, MENTEE)
    pair_id = str(the_pair(tandem).id)
    assert private_click(tandem, OUTSIDER, "pair.accept", pair_id) == NOT_FOUND
    proposed = the_pair(tandem)
    assert proposed.status == PairStatus.PROPOSED and proposed.mentor_accepted_at is None


def test_a_crafted_charter_submission_for_another_pair_saves_nothing(
    tandem: Harness, pair: PairRef
) -> None:
    # Ines copies her own form and points it at Maya and Noah's pair.
    form = open_charter(tandem, OTHER_MENTEE)
    tandem.slack.close_view(OTHER_MENTEE, form)
    crafted = {
        **form,
        "id": "VCRAFTED02",
        "private_metadata": json.dumps({"pair_id": pair.pair_id}),
    }
    response = tandem.slack.submit_view(OTHER_MENTEE, crafted)
    assert response.json["response_action"] == "update"
    assert NOT_FOUND in json.dumps(response.json["view"])
    assert count(tandem, CharterVersion) == 2  # each pair's version 1, nothing more
    assert not tandem.emulator.calls("chat.postMessage")


@pytest.mark.parametrize("purpose", ["edit", "history"])
def test_a_crafted_pair_pick_for_another_pair_shows_nothing(
    tandem: Harness, pair: PairRef, purpose: str
) -> None:
    crafted = {
        "id": "VCRAFTED03",
        "type": "modal",
        "callback_id": "charter.pick",
        "private_metadata": json.dumps({"next": purpose}),
        "title": {"type": "plain_text", "text": "Your charter"},
        "blocks": [
            {
                "type": "input",
                "block_id": "pair",
                "label": {"type": "plain_text", "text": "Which pair?"},
                "element": {
                    "type": "static_select",
                    "action_id": "pair.pick",
                    "options": [
                        {"text": {"type": "plain_text", "text": "x"}, "value": str(pair.pair_id)}
                    ],
                },
            }
        ],
    }
    response = tandem.slack.submit_view(OUTSIDER, crafted, {"pair.pick": str(pair.pair_id)})
    shown = json.dumps(response.json)
    assert NOT_FOUND in shown and "Noah" not in shown and "tech lead" not in shown

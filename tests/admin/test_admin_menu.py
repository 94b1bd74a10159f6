"""One admin menu, over signed HTTP: `/tandem admin` and the admin's Home show every admin
capability as a button, each button does what its subcommand does, and nobody else sees or
can use any of it (their refusal names no one)."""

from typing import Any

from tests.programme.helpers import ephemeral_reply, latest_ephemeral, text_of
from tests.reflection.helpers import wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, OUTSIDER, Harness

EVERY_CAPABILITY = {
    "admin.open_import": "Bring pairs in",
    "admin.match": "Run a matching round",
    "admin.pairs": "Pairs at risk",
    "admin.cohorts": "Cohorts and funnel",
    "admin.feedback": "Programme feedback",
    "admin.open_settings": "Settings",
    "admin.export": "Export CSV",
    "admin.open_erase": "Delete a person's data",
}
# The buttons whose answer is a list, and the subcommand each stands for.
LISTS = {
    "admin.pairs": "admin pairs",
    "admin.cohorts": "admin cohorts",
    "admin.feedback": "admin feedback",
}


def shown(message: dict[str, Any]) -> list[dict[str, Any]]:
    """A message's blocks as the person sees them (Slack adds block ids where none was set)."""
    return [{k: v for k, v in block.items() if k != "block_id"} for block in message["blocks"]]


def home_of(tandem: Harness, user_id: str) -> dict[str, Any]:
    before = len(tandem.emulator.calls("views.publish"))
    tandem.slack.open_home(user_id)
    tandem.emulator.wait_for("views.publish", count=before + 1)
    home = tandem.emulator.home(user_id)
    assert home is not None
    return home


def test_the_menu_and_the_admins_home_offer_every_capability(tandem: Harness) -> None:
    create_active_pair(tandem)
    menu = text_of(tandem.slack.command(ADMIN, "admin").json)
    home = str(home_of(tandem, ADMIN))
    for action_id, label in EVERY_CAPABILITY.items():
        assert action_id in menu and label in menu, action_id
        assert action_id in home and label in home, action_id


def test_others_see_no_admin_button_and_are_refused_naming_no_one(tandem: Harness) -> None:
    create_active_pair(tandem)
    refused = tandem.slack.command(OUTSIDER, "admin").json
    home = str(home_of(tandem, OUTSIDER))
    for action_id in EVERY_CAPABILITY:
        assert action_id not in str(refused) and action_id not in home
    assert "Only programme admins" in refused["text"] and "<@" not in refused["text"]
    for action_id in EVERY_CAPABILITY:  # a button copied from an admin's menu does nothing
        before = len(tandem.emulator.calls("response_url"))
        tandem.slack.click(OUTSIDER, action_id)
        answer = tandem.emulator.wait_for("response_url", count=before + 1)[-1].args["text"]
        assert "Only programme admins" in answer and "<@" not in answer, action_id
    assert tandem.emulator.calls("views.open") == [] and tandem.emulator.files() == []


def test_each_list_button_answers_as_its_subcommand(tandem: Harness) -> None:
    create_active_pair(tandem)
    for action_id, subcommand in LISTS.items():
        typed = ephemeral_reply(tandem, ADMIN, subcommand)
        before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
        tandem.slack.click(ADMIN, action_id)
        clicked = latest_ephemeral(tandem, ADMIN, before)
        assert shown(clicked) == shown(typed), action_id


def test_a_matching_round_from_the_menu(tandem: Harness) -> None:
    typed = text_of(ephemeral_reply(tandem, ADMIN, "admin match"))
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.click(ADMIN, "admin.match")
    assert text_of(latest_ephemeral(tandem, ADMIN, before)) == typed


def test_home_buttons_open_the_import_modal_and_bring_lists_by_dm(tandem: Harness) -> None:
    create_active_pair(tandem)
    home = home_of(tandem, ADMIN)
    tandem.slack.click(ADMIN, "admin.open_import", view=home)
    tandem.emulator.wait_for("views.open")
    modal = tandem.emulator.open_view(ADMIN)
    assert modal is not None and modal["callback_id"] == "programme.import"
    tandem.slack.close_view(ADMIN, modal)
    tandem.slack.click(ADMIN, "admin.pairs", view=home_of(tandem, ADMIN))
    listed = wait_dm(tandem, ADMIN, "Pairs at risk")
    assert listed.get("blocks"), listed  # the list with its buttons, not only words

"""SlackDriver against a real Bolt app served over HTTP, with the emulator as its Web API."""

from __future__ import annotations

import itertools
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, BoltRequest, Respond
from slack_sdk import WebClient

from devkit.emulator import InteractionError

if TYPE_CHECKING:
    from tests.devkit.emulator.conftest import BoltHarness


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def option(value: str) -> dict[str, Any]:
    return {"text": plain(value.title()), "value": value}


def input_block(
    block_id: str, element: dict[str, Any], *, optional: bool = False
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(block_id.replace("_", " ")),
        "element": element,
        "optional": optional,
    }


PAIRING_MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "pairing",
    "private_metadata": '{"pair": 7}',
    "title": plain("New pairing"),
    "submit": plain("Save"),
    "blocks": [
        input_block("goal", {"type": "plain_text_input", "action_id": "goal", "max_length": 20}),
        input_block(
            "cadence",
            {
                "type": "static_select",
                "action_id": "cadence",
                "options": [option("weekly"), option("fortnightly")],
            },
        ),
        input_block(
            "topics",
            {
                "type": "multi_static_select",
                "action_id": "topics",
                "options": [option("python"), option("career"), option("design")],
            },
        ),
        input_block(
            "days",
            {"type": "checkboxes", "action_id": "days", "options": [option("mon"), option("fri")]},
        ),
        input_block("start", {"type": "datepicker", "action_id": "start"}),
        input_block("at", {"type": "timepicker", "action_id": "at"}),
        input_block(
            "length",
            {"type": "number_input", "action_id": "length", "is_decimal_allowed": False},
        ),
        input_block("mentor", {"type": "users_select", "action_id": "mentor"}),
        input_block("where", {"type": "conversations_select", "action_id": "where"}),
        input_block(
            "note",
            {"type": "plain_text_input", "action_id": "note", "initial_value": "prefilled"},
            optional=True,
        ),
    ],
}

_commands = itertools.count()

FILLED = {
    "goal": "Ship Tandem",
    "cadence": "fortnightly",
    "topics": ["python", "design"],
    "days": ["fri"],
    "start": "2025-03-31",
    "at": "09:30",
    "length": 45,
    "mentor": "U0BOB",
    "where": "C0GENERAL",
}


def open_modal_on_command(bolt: BoltHarness, view: dict[str, Any]) -> dict[str, Any]:
    """Register `/tandem <key>` → views.open(view), run it as ada, return the modal she sees."""
    key = f"open-{next(_commands)}"  # Bolt runs only the first matching listener

    @bolt.app.command("/tandem", matchers=[lambda body: body["text"] == key])
    def open_it(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=view)

    opened = len(bolt.slack.calls("views.open"))
    assert bolt.driver.command("U0ADA", key).status == 200
    bolt.slack.wait_for("views.open", count=opened + 1)
    modal = bolt.slack.open_view("U0ADA")
    assert modal is not None, bolt.slack.dump_calls()
    return modal


# -- commands and signatures --------------------------------------------------------------


def test_signed_command_reaches_listener_and_ack_text_comes_back(bolt: BoltHarness) -> None:
    seen: dict[str, Any] = {}

    @bolt.app.command("/tandem")
    def handle(ack: Ack, body: dict) -> None:
        seen.update(body)
        ack("On it!")

    response = bolt.driver.command("U0ADA", "pair with bob")
    assert (response.status, response.body) == (200, "On it!")
    assert seen["command"] == "/tandem" and seen["text"] == "pair with bob"
    assert seen["user_id"] == "U0ADA" and seen["user_name"] == "ada"
    assert seen["channel_id"] == bolt.slack.dm_channel("U0ADA")
    assert seen["channel_name"] == "directmessage"
    assert seen["team_id"] == "T0TANDEM" and seen["team_domain"] == "tandem-test"
    assert seen["response_url"] == response.response_url
    assert seen["trigger_id"] == response.trigger_id


def test_respond_goes_through_the_response_url(bolt: BoltHarness) -> None:
    @bolt.app.command("/tandem")
    def handle(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Your pairings: none yet")

    response = bolt.driver.command("U0ADA", "list", channel_id="C0GENERAL")
    [call] = bolt.slack.wait_for("response_url")
    assert call.url == response.response_url
    assert bolt.slack.ephemeral_messages("C0GENERAL", user="U0ADA")[0]["text"] == (
        "Your pairings: none yet"
    )


def test_bad_stale_or_missing_signatures_get_401(bolt: BoltHarness) -> None:
    called = threading.Event()

    @bolt.app.command("/tandem")
    def handle(ack: Ack) -> None:
        called.set()
        ack()

    body = urlencode({"command": "/tandem", "text": "", "user_id": "U0ADA", "team_id": "T0TANDEM"})
    forged = dict(bolt.driver.sign(body), **{"X-Slack-Signature": "v0=" + "0" * 64})
    assert bolt.driver.post(body, headers=forged).status == 401
    assert bolt.driver.post(body, timestamp=int(time.time()) - 6 * 60).status == 401
    assert bolt.driver.post(body, signed=False).status == 401
    assert not called.is_set()
    assert bolt.driver.post(body).status == 200  # the same body, properly signed


# -- modals -------------------------------------------------------------------------------


def test_modal_opened_by_command_submits_values_a_listener_can_read(bolt: BoltHarness) -> None:
    submitted: dict[str, Any] = {}

    @bolt.app.view("pairing")
    def save(ack: Ack, view: dict, body: dict) -> None:
        submitted.update(view=view, body=body)
        ack()

    modal = open_modal_on_command(bolt, PAIRING_MODAL)
    response = bolt.driver.submit_view("U0ADA", modal, FILLED)

    assert response.status == 200 and response.problems == []
    values = submitted["view"]["state"]["values"]
    assert values["goal"]["goal"] == {"type": "plain_text_input", "value": "Ship Tandem"}
    assert values["cadence"]["cadence"]["selected_option"] == option("fortnightly")
    assert [o["value"] for o in values["topics"]["topics"]["selected_options"]] == [
        "python",
        "design",
    ]
    assert values["days"]["days"]["selected_options"] == [option("fri")]
    assert values["start"]["start"] == {"type": "datepicker", "selected_date": "2025-03-31"}
    assert values["at"]["at"] == {"type": "timepicker", "selected_time": "09:30"}
    assert values["length"]["length"] == {"type": "number_input", "value": "45"}
    assert values["mentor"]["mentor"] == {"type": "users_select", "selected_user": "U0BOB"}
    assert values["where"]["where"]["selected_conversation"] == "C0GENERAL"
    assert values["note"]["note"]["value"] == "prefilled"  # untouched inputs keep initial values
    assert submitted["view"]["private_metadata"] == '{"pair": 7}'
    assert submitted["view"]["id"] == modal["id"] and submitted["view"]["hash"] == modal["hash"]
    assert submitted["body"]["user"]["id"] == "U0ADA"
    assert submitted["body"]["response_urls"] == []
    assert bolt.slack.open_view("U0ADA") is None  # an empty ack closes the modal


def test_validation_errors_keep_the_modal_open(bolt: BoltHarness) -> None:
    @bolt.app.view("pairing")
    def save(ack: Ack) -> None:
        ack(response_action="errors", errors={"goal": "Be more specific"})

    modal = open_modal_on_command(bolt, PAIRING_MODAL)
    response = bolt.driver.submit_view("U0ADA", modal, FILLED)
    assert response.json == {"response_action": "errors", "errors": {"goal": "Be more specific"}}
    assert response.problems == []
    assert bolt.slack.open_view("U0ADA")["id"] == modal["id"]


def test_update_answer_replaces_the_modal(bolt: BoltHarness) -> None:
    done = {"type": "modal", "title": plain("Saved"), "blocks": [{"type": "divider"}]}

    @bolt.app.view("pairing")
    def save(ack: Ack) -> None:
        ack(response_action="update", view=done)

    modal = open_modal_on_command(bolt, PAIRING_MODAL)
    bolt.driver.submit_view("U0ADA", modal, FILLED)
    shown = bolt.slack.open_view("U0ADA")
    assert shown["id"] == modal["id"] and shown["title"]["text"] == "Saved"


def test_users_cannot_submit_what_slack_would_not_send(bolt: BoltHarness) -> None:
    modal = open_modal_on_command(bolt, PAIRING_MODAL)
    driver = bolt.driver
    with pytest.raises(InteractionError, match="required input"):
        driver.submit_view("U0ADA", modal, {k: v for k, v in FILLED.items() if k != "goal"})
    with pytest.raises(InteractionError, match="not offered"):
        driver.submit_view("U0ADA", modal, {**FILLED, "cadence": "daily"})
    with pytest.raises(InteractionError, match="no input 'colour'"):
        driver.submit_view("U0ADA", modal, {**FILLED, "colour": "red"})
    with pytest.raises(InteractionError, match="at most 20 characters"):
        driver.submit_view("U0ADA", modal, {**FILLED, "goal": "x" * 21})
    with pytest.raises(InteractionError, match="does not allow decimals"):
        driver.submit_view("U0ADA", modal, {**FILLED, "length": "4.5"})
    with pytest.raises(InteractionError, match="not open for U0BOB"):
        driver.submit_view("U0BOB", modal, FILLED)


def test_close_notifies_the_app_only_when_asked(bolt: BoltHarness) -> None:
    closed = threading.Event()

    @bolt.app.view_closed("pairing")
    def on_close(ack: Ack, body: dict) -> None:
        assert body["is_cleared"] is False
        closed.set()
        ack()

    quiet = open_modal_on_command(bolt, PAIRING_MODAL)
    assert bolt.driver.close_view("U0ADA", quiet) is None
    assert bolt.slack.open_view("U0ADA") is None

    noisy = open_modal_on_command(bolt, {**PAIRING_MODAL, "notify_on_close": True})
    assert bolt.driver.close_view("U0ADA", noisy).status == 200
    assert closed.wait(2)


def test_a_slow_listener_gets_expired_trigger_id(bolt: BoltHarness) -> None:
    bolt.slack.trigger_ttl = 0.1  # Slack's 3 s, shortened so the test stays fast

    @bolt.app.command("/tandem")
    def slow(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        time.sleep(0.2)  # e.g. a slow database query before opening the modal
        client.views_open(trigger_id=body["trigger_id"], view=PAIRING_MODAL)

    bolt.driver.command("U0ADA", "new")
    [call] = bolt.slack.wait_for("views.open")
    assert call.response["error"] == "expired_trigger_id"


# -- block actions ------------------------------------------------------------------------


RSVP_BLOCKS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "Meet Bob on Friday?"}},
    {
        "type": "actions",
        "block_id": "rsvp",
        "elements": [
            {"type": "button", "action_id": "rsvp_yes", "text": plain("Yes"), "value": "yes"},
            {"type": "button", "action_id": "rsvp_no", "text": plain("No"), "value": "no"},
            {
                "type": "static_select",
                "action_id": "snooze",
                "options": [option("1d"), option("1w")],
            },
        ],
    },
]


def test_button_click_in_a_posted_message_reaches_the_action_listener(
    bolt: BoltHarness, client: WebClient
) -> None:
    clicked: dict[str, Any] = {}

    @bolt.app.action("rsvp_yes")
    def on_yes(ack: Ack, body: dict, respond: Respond) -> None:
        clicked.update(body)
        ack()
        respond(replace_original=True, text="See you Friday!")

    posted = client.chat_postMessage(channel="U0ADA", text="RSVP", blocks=RSVP_BLOCKS)
    response = bolt.driver.click_button_in(posted, "U0ADA", value="yes")
    assert response.status == 200
    bolt.slack.wait_for("response_url")

    [action] = clicked["actions"]
    assert (action["action_id"], action["block_id"], action["value"]) == ("rsvp_yes", "rsvp", "yes")
    assert action["type"] == "button" and action["text"] == plain("Yes")
    assert clicked["type"] == "block_actions"
    assert clicked["container"]["message_ts"] == posted["ts"]
    assert clicked["channel"]["id"] == posted["channel"]
    assert clicked["message"]["blocks"] == posted["message"]["blocks"]
    assert clicked["response_url"] == response.response_url
    assert bolt.slack.messages("U0ADA")[0]["text"] == "See you Friday!"


def test_select_in_a_message_sends_the_selected_option(
    bolt: BoltHarness, client: WebClient
) -> None:
    picked: list[dict] = []

    @bolt.app.action("snooze")
    def on_snooze(ack: Ack, action: dict) -> None:
        picked.append(action)
        ack()

    posted = client.chat_postMessage(channel="U0ADA", text="RSVP", blocks=RSVP_BLOCKS)
    bolt.driver.click("U0ADA", "snooze", "1w", message=posted)
    assert picked[0]["type"] == "static_select"
    assert picked[0]["selected_option"] == option("1w")
    with pytest.raises(InteractionError, match="not offered"):
        bolt.driver.click("U0ADA", "snooze", "1y", message=posted)
    with pytest.raises(InteractionError, match="rsvp/rsvp_yes"):
        bolt.driver.click("U0ADA", "rsvp_maybe", message=posted)
    client.chat_delete(channel=posted["channel"], ts=posted["ts"])
    with pytest.raises(InteractionError, match="does not exist"):
        bolt.driver.click("U0ADA", "rsvp_yes", message=posted)


def test_a_click_inside_a_modal_can_push_a_view(bolt: BoltHarness) -> None:
    typed: list[dict] = []

    @bolt.app.action("more")
    def push(ack: Ack, body: dict, client: WebClient) -> None:
        typed.append(body["view"]["state"]["values"])
        ack()
        client.views_push(
            trigger_id=body["trigger_id"], view={**PAIRING_MODAL, "title": plain("More")}
        )

    view = {
        "type": "modal",
        "title": plain("Pairing"),
        "submit": plain("Save"),
        "blocks": [
            input_block("goal", {"type": "plain_text_input", "action_id": "goal"}),
            {
                "type": "actions",
                "elements": [{"type": "button", "action_id": "more", "text": plain("More")}],
            },
        ],
    }
    modal = open_modal_on_command(bolt, view)
    bolt.driver.click("U0ADA", "more", view=modal, values={"goal": "half-typed"})
    [push_call] = bolt.slack.wait_for("views.push")
    assert push_call.response["ok"] is True, bolt.slack.dump_calls()
    # The click carries what the user has typed so far.
    assert typed[0]["goal"]["goal"]["value"] == "half-typed"
    assert [v["title"]["text"] for v in bolt.slack.view_stack("U0ADA")] == ["Pairing", "More"]
    # Only the pushed (top) view can be submitted now.
    with pytest.raises(InteractionError, match="only the top modal"):
        bolt.driver.submit_view("U0ADA", modal, {})


# -- Events API ---------------------------------------------------------------------------


def test_opening_the_home_tab_lets_the_app_publish_it(bolt: BoltHarness) -> None:
    events: list[dict] = []

    @bolt.app.event("app_home_opened")
    def publish(event: dict, client: WebClient) -> None:
        events.append(event)
        home = {
            "type": "home",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
        }
        client.views_publish(user_id=event["user"], view=home)

    first = bolt.driver.open_home("U0ADA")
    assert first.status == 200 and first.event_id.startswith("Ev")
    bolt.slack.wait_for("views.publish")
    home = bolt.slack.home("U0ADA")
    assert home["blocks"][0]["text"]["text"] == "Hi"

    second = bolt.driver.open_home("U0ADA")
    bolt.slack.wait_for("views.publish", count=2)
    assert second.event_id != first.event_id
    assert events[0]["tab"] == "home" and events[0]["channel"] == bolt.slack.dm_channel("U0ADA")
    assert "view" not in events[0] and events[1]["view"]["id"] == home["id"]


def test_event_retries_carry_slack_headers_and_the_same_event_id(bolt: BoltHarness) -> None:
    received: list[tuple[dict, dict]] = []

    @bolt.app.event("app_mention")
    def mention(body: dict, request: BoltRequest) -> None:
        received.append((body, request.headers))

    event = {
        "type": "app_mention",
        "user": "U0ADA",
        "text": "<@UTANDEMBOT> hi",
        "channel": "C0GENERAL",
    }
    first = bolt.driver.event(event)
    retry = bolt.driver.event(event, retry_num=1, event_id=first.event_id)
    assert first.status == retry.status == 200
    deadline = time.monotonic() + 2
    while len(received) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    by_retry = {headers.get("x-slack-retry-num", ["0"])[0]: body for body, headers in received}
    assert by_retry["0"]["event_id"] == by_retry["1"]["event_id"] == first.event_id
    assert by_retry["1"]["authorizations"][0]["user_id"] == "UTANDEMBOT"


def test_url_verification_challenge(bolt: BoltHarness) -> None:
    response = bolt.driver.url_verification("abc123")
    assert response.status == 200 and response.json == {"challenge": "abc123"}

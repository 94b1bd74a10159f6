"""The emulator seen through slack_sdk's real WebClient, as the bot will use it."""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from devkit.emulator import SlackEmulator


def api_error(call: Any) -> dict[str, Any]:
    """Run a client call that must fail and return Slack's error body."""
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response.data


def modal(title: str = "Edit", blocks: list[dict] | None = None, **extra: Any) -> dict:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks if blocks is not None else [{"type": "divider"}],
        **extra,
    }


# -- auth, users --------------------------------------------------------------------------


def test_auth_test_describes_the_bot(client: WebClient, slack: SlackEmulator) -> None:
    data = client.auth_test().data
    assert data["ok"] is True
    assert data["user_id"] == slack.bot_user_id
    assert data["bot_id"] == slack.bot_id
    assert data["team_id"] == slack.team_id
    assert data["url"] == "https://tandem-test.slack.com/"
    assert data["is_enterprise_install"] is False


def test_wrong_or_missing_token_and_unknown_method(slack: SlackEmulator) -> None:
    wrong = WebClient(token="xoxb-wrong", base_url=slack.url, retry_handlers=[])
    assert api_error(wrong.auth_test)["error"] == "invalid_auth"
    anonymous = WebClient(base_url=slack.url, retry_handlers=[])
    assert api_error(anonymous.auth_test)["error"] == "not_authed"
    right = WebClient(token=slack.token, base_url=slack.url, retry_handlers=[])
    assert api_error(lambda: right.api_call("chat.postMessagee"))["error"] == "unknown_method"
    # The token may also travel as a parameter, as Slack allows.
    assert anonymous.api_call("auth.test", params={"token": slack.token})["ok"] is True


def test_users_info_has_slack_shape_and_live_tz_offset(client: WebClient) -> None:
    user = client.users_info(user="U0BOB")["user"]
    expected = datetime.now(UTC).astimezone(ZoneInfo("America/New_York")).utcoffset()
    assert user["tz"] == "America/New_York"
    assert user["tz_offset"] == int(expected.total_seconds())
    assert user["tz_label"] in ("Eastern Standard Time", "Eastern Daylight Time")
    assert user["team_id"] == "T0TANDEM"
    assert user["deleted"] is False and user["is_bot"] is False
    assert user["profile"]["display_name"] == "bob"

    ada = client.users_info(user="U0ADA")["user"]
    assert ada["real_name"] == ada["profile"]["real_name"] == "Ada Lovelace"
    assert ada["tz_label"] in ("Greenwich Mean Time", "British Summer Time")

    assert client.users_info(user="U0GONE")["user"]["deleted"] is True
    assert client.users_info(user="UTANDEMBOT")["user"]["is_bot"] is True
    assert api_error(lambda: client.users_info(user="U0NOBODY"))["error"] == "user_not_found"


def test_users_lookup_by_email_finds_members_case_insensitively(
    client: WebClient, slack: SlackEmulator
) -> None:
    slack.add_user("U0DEE", "dee", email="Dee.Ortiz@example.com")
    found = client.users_lookupByEmail(email="dee.ortiz@EXAMPLE.com")["user"]
    assert found["id"] == "U0DEE"
    assert found["profile"]["email"] == "Dee.Ortiz@example.com"
    assert client.users_info(user="U0ADA")["user"]["profile"]["email"] == "ada@tandem-test.test"
    assert api_error(lambda: client.users_lookupByEmail(email="nobody@example.com")) == {
        "ok": False,
        "error": "users_not_found",
    }
    assert api_error(lambda: client.users_lookupByEmail(email=""))["error"] == "invalid_arguments"
    assert "email" not in client.users_info(user="U0OTHERBOT")["user"]["profile"]


# -- conversations ------------------------------------------------------------------------


def test_im_ids_are_stable_and_match_post_message(client: WebClient, slack: SlackEmulator) -> None:
    first = client.conversations_open(users="U0ADA").data
    again = client.conversations_open(users="U0ADA").data
    assert first["channel"]["id"] == again["channel"]["id"] == slack.dm_channel("U0ADA")
    assert first["channel"]["id"].startswith("D")
    assert again["already_open"] is True
    assert slack.dm_channel("U0BOB") != slack.dm_channel("U0ADA")

    posted = client.chat_postMessage(channel="U0ADA", text="hello")
    assert posted["channel"] == slack.dm_channel("U0ADA")
    assert [m["text"] for m in slack.messages(slack.dm_channel("U0ADA"))] == ["hello"]
    assert slack.messages("U0ADA") == slack.messages(slack.dm_channel("U0ADA"))

    info = client.conversations_info(channel=posted["channel"])["channel"]
    assert info["is_im"] is True and info["user"] == "U0ADA"
    assert client.conversations_members(channel=posted["channel"])["members"] == [
        "U0ADA",
        "UTANDEMBOT",
    ]


def test_an_im_can_be_used_before_it_is_opened(client: WebClient, slack: SlackEmulator) -> None:
    posted = client.chat_postMessage(channel=slack.dm_channel("U0CAT"), text="hi")
    assert posted["channel"] == slack.dm_channel("U0CAT")


def test_mpim_ids_ignore_order_and_include_the_bot(client: WebClient) -> None:
    one = client.conversations_open(users="U0ADA,U0BOB,U0CAT")["channel"]
    two = client.conversations_open(users=["U0CAT", "U0ADA", "U0BOB"])["channel"]
    assert one["id"] == two["id"] and one["id"].startswith("G")
    assert one["is_mpim"] is True
    other = client.conversations_open(users="U0ADA,U0BOB")["channel"]
    assert other["id"] != one["id"]
    members = client.conversations_members(channel=one["id"])["members"]
    assert sorted(members) == ["U0ADA", "U0BOB", "U0CAT", "UTANDEMBOT"]


@pytest.mark.parametrize(
    ("users", "error"),
    [
        ("U0NOBODY", "user_not_found"),
        ("U0ADA,U0GONE", "user_disabled"),
        ("", "users_list_not_supplied"),
        (",".join(f"U{i:04d}" for i in range(9)), "too_many_users"),
    ],
)
def test_conversations_open_errors(client: WebClient, users: str, error: str) -> None:
    assert (
        api_error(lambda: client.api_call("conversations.open", params={"users": users}))["error"]
        == error
    )


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ("C0MISSING", "channel_not_found"),
        ("U0NOBODY", "channel_not_found"),
        ("C0NOTIN", "not_in_channel"),
        ("C0OLD", "is_archived"),
        ("U0GONE", "user_disabled"),
        ("U0OTHERBOT", "cannot_dm_bot"),
    ],
)
def test_post_message_target_errors(client: WebClient, channel: str, error: str) -> None:
    assert api_error(lambda: client.chat_postMessage(channel=channel, text="x"))["error"] == error


def test_post_message_content_errors(client: WebClient) -> None:
    assert (
        api_error(lambda: client.api_call("chat.postMessage", json={"channel": "C0GENERAL"}))[
            "error"
        ]
        == "no_text"
    )
    too_long = "x" * 40_001
    assert (
        api_error(lambda: client.chat_postMessage(channel="C0GENERAL", text=too_long))["error"]
        == "msg_too_long"
    )
    assert client.chat_postMessage(channel="C0GENERAL", text="x" * 40_000)["ok"] is True


def test_post_message_by_channel_name_and_threads(client: WebClient, slack: SlackEmulator) -> None:
    parent = client.chat_postMessage(channel="#general", text="parent")
    assert parent["channel"] == "C0GENERAL"
    reply = client.chat_postMessage(channel="C0GENERAL", text="reply", thread_ts=parent["ts"])
    assert reply["message"]["thread_ts"] == parent["ts"]
    assert float(reply["ts"]) > float(parent["ts"])

    history = client.conversations_history(channel="C0GENERAL")["messages"]
    assert [m["text"] for m in history] == ["parent"]  # replies stay in the thread
    assert history[0]["reply_count"] == 1
    replies = client.conversations_replies(channel="C0GENERAL", ts=parent["ts"])["messages"]
    assert [m["text"] for m in replies] == ["parent", "reply"]
    link = client.chat_getPermalink(channel="C0GENERAL", message_ts=reply["ts"])["permalink"]
    assert link.startswith("https://tandem-test.slack.com/archives/C0GENERAL/p")
    assert f"thread_ts={parent['ts']}" in link


def test_update_and_delete(client: WebClient, slack: SlackEmulator) -> None:
    posted = client.chat_postMessage(
        channel="C0GENERAL",
        text="v1",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "v1"}}],
    )
    client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="v2")
    [message] = slack.messages("C0GENERAL")
    assert message["text"] == "v2"
    assert message["blocks"][0]["text"]["text"] == "v1"  # omitted blocks are kept
    client.chat_update(
        channel="C0GENERAL",
        ts=posted["ts"],
        text="v3",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "v3"}}],
    )
    assert slack.messages("C0GENERAL")[0]["blocks"][0]["text"]["text"] == "v3"
    assert (
        api_error(lambda: client.chat_update(channel="C0GENERAL", ts="1.000001", text="x"))["error"]
        == "message_not_found"
    )
    bad = [{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}]
    assert (
        api_error(
            lambda: client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="t", blocks=bad)
        )["error"]
        == "invalid_blocks"
    )

    human = slack.add_message("C0GENERAL", "mine", user="U0ADA")
    assert (
        api_error(lambda: client.chat_update(channel="C0GENERAL", ts=human["ts"], text="x"))[
            "error"
        ]
        == "cant_update_message"
    )
    assert (
        api_error(lambda: client.chat_delete(channel="C0GENERAL", ts=human["ts"]))["error"]
        == "cant_delete_message"
    )

    client.chat_delete(channel="C0GENERAL", ts=posted["ts"])
    assert [m["text"] for m in slack.messages("C0GENERAL")] == ["mine"]
    assert (
        api_error(lambda: client.chat_delete(channel="C0GENERAL", ts=posted["ts"]))["error"]
        == "message_not_found"
    )


def test_post_ephemeral(client: WebClient, slack: SlackEmulator) -> None:
    answer = client.chat_postEphemeral(channel="C0GENERAL", user="U0ADA", text="only you")
    assert answer["message_ts"]
    assert slack.ephemeral_messages("C0GENERAL", user="U0ADA")[0]["text"] == "only you"
    assert slack.messages("C0GENERAL") == []
    im = slack.dm_channel("U0ADA")
    error = api_error(lambda: client.chat_postEphemeral(channel=im, user="U0BOB", text="x"))
    assert error["error"] == "user_not_in_channel"


def test_history_metadata_only_when_asked(client: WebClient) -> None:
    metadata = {"event_type": "pairing_created", "event_payload": {"pair_id": 7}}
    client.chat_postMessage(channel="C0GENERAL", text="with metadata", metadata=metadata)
    plain = client.conversations_history(channel="C0GENERAL")["messages"][0]
    assert "metadata" not in plain
    full = client.conversations_history(channel="C0GENERAL", include_all_metadata=True)
    assert full["messages"][0]["metadata"] == metadata
    bad = {"event_type": "x"}
    assert (
        api_error(lambda: client.chat_postMessage(channel="C0GENERAL", text="x", metadata=bad))[
            "error"
        ]
        == "invalid_metadata_schema"
    )


def test_history_order_window_and_pagination(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C0GENERAL", text=f"m{i}")["ts"] for i in range(5)]
    newest_first = client.conversations_history(channel="C0GENERAL")["messages"]
    assert [m["text"] for m in newest_first] == ["m4", "m3", "m2", "m1", "m0"]

    window = client.conversations_history(channel="C0GENERAL", oldest=stamps[1], latest=stamps[3])
    assert [m["text"] for m in window["messages"]] == ["m2"]
    inclusive = client.conversations_history(
        channel="C0GENERAL", oldest=stamps[1], latest=stamps[3], inclusive=True
    )
    assert [m["text"] for m in inclusive["messages"]] == ["m3", "m2", "m1"]

    first = client.conversations_history(channel="C0GENERAL", limit=2)
    assert first["has_more"] is True
    cursor = first["response_metadata"]["next_cursor"]
    second = client.conversations_history(channel="C0GENERAL", limit=2, cursor=cursor)
    assert [m["text"] for m in second["messages"]] == ["m2", "m1"]
    assert (
        api_error(lambda: client.conversations_history(channel="C0NOTIN"))["error"]
        == "not_in_channel"
    )
    assert (
        api_error(lambda: client.conversations_history(channel="C0NOPE"))["error"]
        == "channel_not_found"
    )


# -- request encodings --------------------------------------------------------------------


def test_form_encoded_blocks_and_get_params_are_understood(
    client: WebClient, slack: SlackEmulator
) -> None:
    blocks = '[{"type": "section", "text": {"type": "mrkdwn", "text": "form"}}]'
    client.api_call("chat.postMessage", params={"channel": "C0GENERAL", "blocks": blocks})
    call = slack.calls("chat.postMessage")[-1]
    assert call.args["blocks"][0]["text"]["text"] == "form"  # recorded parsed, not as a string
    assert slack.messages("C0GENERAL")[0]["text"] == "This content can't be displayed."
    assert client.api_call("users.info", http_verb="GET", params={"user": "U0ADA"})["ok"] is True


def test_json_body_is_ignored_by_form_only_methods(client: WebClient) -> None:
    # As on Slack, conversations.history does not read JSON bodies.
    error = api_error(
        lambda: client.api_call("conversations.history", json={"channel": "C0GENERAL"})
    )
    assert error["error"] == "channel_not_found"


# -- Block Kit through the API ------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([{"type": "divider"}] * 51, "/blocks"),
        (
            [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
            "/blocks/0/text/text",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "same",
                            "text": {"type": "plain_text", "text": "A"},
                        },
                        {
                            "type": "button",
                            "action_id": "same",
                            "text": {"type": "plain_text", "text": "B"},
                        },
                    ],
                }
            ],
            "/blocks/0/elements/1/action_id",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "a",
                            "text": {"type": "plain_text", "text": "b" * 76},
                        }
                    ],
                }
            ],
            "/blocks/0/elements/0/text/text",
        ),
    ],
    ids=["51-blocks", "3001-char-section", "duplicate-action-id", "76-char-button"],
)
def test_invalid_blocks_like_slack(
    client: WebClient, slack: SlackEmulator, blocks: list, pointer: str
) -> None:
    error = api_error(lambda: client.chat_postMessage(channel="C0GENERAL", text="t", blocks=blocks))
    assert error["error"] == "invalid_blocks"
    assert any(e.endswith(f"[json-pointer:{pointer}]") for e in error["errors"])
    assert error["response_metadata"]["messages"] == [f"[ERROR] {e}" for e in error["errors"]]
    assert slack.messages("C0GENERAL") == []


def test_stored_blocks_get_slack_generated_ids(client: WebClient) -> None:
    posted = client.chat_postMessage(
        channel="C0GENERAL",
        text="t",
        blocks=[
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Go"}}],
            }
        ],
    )
    block = posted["message"]["blocks"][0]
    assert block["block_id"] and block["elements"][0]["action_id"]


# -- views --------------------------------------------------------------------------------


def test_views_open_needs_a_fresh_unused_trigger(client: WebClient, slack: SlackEmulator) -> None:
    assert (
        api_error(lambda: client.api_call("views.open", json={"view": modal()}))["error"]
        == "invalid_trigger_id"
    )
    assert (
        api_error(lambda: client.views_open(trigger_id="", view=modal()))["error"]
        == "invalid_trigger_id"
    )

    stale = slack.issue_trigger("U0ADA", issued_at=slack.clock() - 3.5)
    assert (
        api_error(lambda: client.views_open(trigger_id=stale, view=modal()))["error"]
        == "expired_trigger_id"
    )

    fresh = slack.issue_trigger("U0ADA")
    view = client.views_open(trigger_id=fresh, view=modal(callback_id="edit"))["view"]
    assert view["id"].startswith("V") and view["hash"] and view["state"] == {"values": {}}
    assert view["team_id"] == slack.team_id and view["app_id"] == slack.app_id
    assert slack.open_view("U0ADA")["id"] == view["id"]
    assert (
        api_error(lambda: client.views_open(trigger_id=fresh, view=modal()))["error"]
        == "exchanged_trigger_id"
    )
    # Trigger ids minted elsewhere (hand-written payloads) are trusted.
    assert client.views_open(trigger_id="123.456.abc", view=modal())["ok"] is True


def test_invalid_modal_is_rejected_like_slack(client: WebClient, slack: SlackEmulator) -> None:
    trigger = slack.issue_trigger("U0ADA")
    error = api_error(lambda: client.views_open(trigger_id=trigger, view=modal(title="t" * 25)))
    assert error["error"] == "invalid_arguments"
    assert error["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert slack.open_view("U0ADA") is None


def test_views_update_hash_conflict_and_external_id(
    client: WebClient, slack: SlackEmulator
) -> None:
    opened = client.views_open(
        trigger_id=slack.issue_trigger("U0ADA"), view=modal(external_id="pair-7")
    )["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Step 2"))[
        "view"
    ]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert slack.open_view("U0ADA")["title"]["text"] == "Step 2"

    error = api_error(
        lambda: client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("x"))
    )
    assert error["error"] == "hash_conflict"
    by_external = client.views_update(external_id="pair-7", view=modal("Step 3"))["view"]
    assert by_external["id"] == opened["id"]
    assert (
        api_error(lambda: client.views_update(view_id="V404", view=modal()))["error"] == "not_found"
    )


def test_push_limit_is_three_deep(client: WebClient, slack: SlackEmulator) -> None:
    client.views_open(trigger_id=slack.issue_trigger("U0ADA"), view=modal("One"))
    client.views_push(trigger_id=slack.issue_trigger("U0ADA"), view=modal("Two"))
    third = client.views_push(trigger_id=slack.issue_trigger("U0ADA"), view=modal("Three"))["view"]
    assert [v["title"]["text"] for v in slack.view_stack("U0ADA")] == ["One", "Two", "Three"]
    assert third["root_view_id"] == slack.view_stack("U0ADA")[0]["id"]
    error = api_error(
        lambda: client.views_push(trigger_id=slack.issue_trigger("U0ADA"), view=modal("Four"))
    )
    assert error["error"] == "push_limit_reached"
    error = api_error(
        lambda: client.views_push(trigger_id=slack.issue_trigger("U0BOB"), view=modal())
    )
    assert error["error"] == "not_found"  # nothing to push onto


def test_publish_home(client: WebClient, slack: SlackEmulator) -> None:
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
    }
    first = client.views_publish(user_id="U0ADA", view=home)["view"]
    second = client.views_publish(user_id="U0ADA", view=home, hash=first["hash"])["view"]
    assert first["id"] == second["id"] and slack.home("U0ADA")["hash"] == second["hash"]
    error = api_error(lambda: client.views_publish(user_id="U0ADA", view=home, hash=first["hash"]))
    assert error["error"] == "hash_conflict"
    assert (
        api_error(lambda: client.views_publish(user_id="U0ADA", view=modal()))["error"]
        == "invalid_arguments"
    )

    text = {"type": "mrkdwn", "text": "z" * 2900}
    huge = {"type": "home", "blocks": [{"type": "section", "text": text}] * 90}
    error = api_error(lambda: client.views_publish(user_id="U0ADA", view=huge))
    assert error["error"] == "invalid_arguments"
    assert slack.home("U0BOB") is None


# -- files, response_url ------------------------------------------------------------------


def test_files_upload_v2_round_trip(client: WebClient, slack: SlackEmulator) -> None:
    result = client.files_upload_v2(
        channel="C0GENERAL",
        content=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        filename="pairing.ics",
        title="Pairing",
        initial_comment="Your calendar file",
    )
    assert result["file"]["name"] == "pairing.ics"
    [uploaded] = slack.files()
    assert uploaded.content == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert (uploaded.filename, uploaded.title, uploaded.channel) == (
        "pairing.ics",
        "Pairing",
        "C0GENERAL",
    )
    [shared] = slack.messages("C0GENERAL")
    assert shared["text"] == "Your calendar file" and shared["files"][0]["id"] == uploaded.id
    assert [c.method for c in slack.calls()] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]


def test_response_url_is_recorded_and_applied(client: WebClient, slack: SlackEmulator) -> None:
    posted = client.chat_postMessage(channel="C0GENERAL", text="original")
    url = slack.new_response_url(channel_id="C0GENERAL", user_id="U0ADA", message_ts=posted["ts"])
    assert url.startswith(slack.root_url + "response/")

    answer = WebhookClient(url).send(text="just for you")
    assert (answer.status_code, answer.body) == (200, "ok")
    [call] = slack.calls("response_url")
    assert call.args == {"text": "just for you"} and call.response == {"ok": True}
    assert slack.ephemeral_messages("C0GENERAL", user="U0ADA")[-1]["text"] == "just for you"

    WebhookClient(url).send_dict({"replace_original": True, "text": "replaced"})
    assert slack.messages("C0GENERAL")[0]["text"] == "replaced"
    WebhookClient(url).send_dict({"response_type": "in_channel", "text": "for everyone"})
    assert [m["text"] for m in slack.messages("C0GENERAL")] == ["replaced", "for everyone"]
    WebhookClient(url).send_dict({"delete_original": True})
    assert [m["text"] for m in slack.messages("C0GENERAL")] == ["for everyone"]
    assert WebhookClient(url).send_dict({}).status_code == 400  # no_text (not counted)

    fifth = WebhookClient(url).send(text="fifth")
    sixth = WebhookClient(url).send(text="sixth")
    assert (fifth.status_code, sixth.status_code, sixth.body) == (200, 404, "used_url")
    late = slack.new_response_url(channel_id="C0GENERAL", user_id="U0ADA")
    slack.clock = lambda: time.monotonic() + 31 * 60
    assert WebhookClient(late).send(text="too late").body == "expired_url"


# -- fault injection ----------------------------------------------------------------------


def test_429_is_retried_after_retry_after_and_posts_once(
    slack: SlackEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    # Record the handler's back-off instead of sleeping it (it adds up to 1 s of jitter).
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=slept.append))
    slack.fail_next("chat.postMessage", retry_after=7)
    client = WebClient(
        token=slack.token,
        base_url=slack.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    client.chat_postMessage(channel="C0GENERAL", text="once")

    assert len(slept) == 1 and 7 <= slept[0] < 8
    limited, delivered = slack.calls("chat.postMessage")
    assert (limited.status, limited.injected, limited.response) == (
        429,
        True,
        {"ok": False, "error": "ratelimited"},
    )
    assert delivered.status == 200 and delivered.response["ok"] is True
    assert [m["text"] for m in slack.messages("C0GENERAL")] == ["once"]


def test_429_without_retry_surfaces_headers(client: WebClient, slack: SlackEmulator) -> None:
    slack.fail_next("users.info", retry_after=30)
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U0ADA")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "30"
    assert raised.value.response["error"] == "ratelimited"
    assert client.users_info(user="U0ADA")["ok"] is True  # only the next call failed


def test_500_is_retried_by_server_error_handler(slack: SlackEmulator) -> None:
    slack.fail_next("chat.postMessage", status=500, times=2)
    handler = ServerErrorRetryHandler(
        max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
    )
    client = WebClient(token=slack.token, base_url=slack.url, retry_handlers=[handler])
    client.chat_postMessage(channel="C0GENERAL", text="eventually")
    assert [c.status for c in slack.calls("chat.postMessage")] == [500, 500, 200]
    assert "<html>" in slack.calls()[0].response["body"]
    assert len(slack.messages("C0GENERAL")) == 1


def test_5xx_without_retry_is_a_non_json_error(client: WebClient, slack: SlackEmulator) -> None:
    slack.fail_next("chat.postMessage", status=503)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0GENERAL", text="x")
    assert raised.value.response.status_code == 503
    assert slack.messages("C0GENERAL") == []


def test_a_fault_rate_fails_that_share_of_calls_reproducibly(
    client: WebClient, slack: SlackEmulator
) -> None:
    slack.set_fault_rate(
        "chat.postMessage", server_errors=0.2, rate_limited=0.1, applied_anyway=1.0, seed=7
    )
    for n in range(200):
        with contextlib.suppress(SlackApiError):
            client.chat_postMessage(channel="C0GENERAL", text=f"m{n}")
    calls = slack.calls("chat.postMessage")
    statuses = [c.status for c in calls]
    server_errors = [c for c in calls if c.status >= 500]
    assert 20 < len(server_errors) < 60 and 5 < statuses.count(429) < 40
    assert {c.status for c in server_errors} <= {500, 502, 503, 504}
    assert all(c.injected for c in calls if c.status != 200)
    # A 500 or a 504 may have been applied (here always); a 502, a 503 or a 429 never is.
    applied = [c for c in server_errors if c.status in (500, 504)]
    assert len(slack.messages("C0GENERAL")) == statuses.count(200) + len(applied)
    rate_limited = next(c for c in calls if c.status == 429)
    assert rate_limited.response == {"ok": False, "error": "ratelimited"}
    slack.set_fault_rate("chat.postMessage")
    assert client.chat_postMessage(channel="C0GENERAL", text="calm")["ok"] is True


def test_injected_api_error_with_200(client: WebClient, slack: SlackEmulator) -> None:
    slack.fail_next("chat.postMessage", status=200, error="channel_not_found", times=2)
    for _ in range(2):
        assert (
            api_error(lambda: client.chat_postMessage(channel="C0GENERAL", text="x"))["error"]
            == "channel_not_found"
        )
    assert client.chat_postMessage(channel="C0GENERAL", text="x")["ok"] is True
    assert [c.injected for c in slack.calls()] == [True, True, False]


def test_latency_per_method_and_wildcard(client: WebClient, slack: SlackEmulator) -> None:
    slack.set_latency("users.info", 0.2)
    started = time.monotonic()
    client.users_info(user="U0ADA")
    assert time.monotonic() - started >= 0.2
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.2
    slack.set_latency("*", 0.1)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.1
    slack.set_latency("*", 0)
    slack.set_latency("users.info", 0)


# -- inspection helpers -------------------------------------------------------------------


def test_wait_for_sees_calls_from_other_threads(client: WebClient, slack: SlackEmulator) -> None:
    threading.Timer(
        0.05, lambda: client.chat_postMessage(channel="C0GENERAL", text="later")
    ).start()
    [call] = slack.wait_for("chat.postMessage", timeout=2)
    assert call.args["text"] == "later"
    matching = slack.wait_for(lambda c: c.response.get("ts") is not None, timeout=1)
    assert matching == [call]


def test_wait_for_timeout_dumps_calls(client: WebClient, slack: SlackEmulator) -> None:
    client.auth_test()
    with pytest.raises(AssertionError) as raised:
        slack.wait_for("views.open", timeout=0.05)
    assert "views.open" in str(raised.value) and "auth.test -> 200 ok" in str(raised.value)
    slack.clear_calls()
    assert slack.calls() == []

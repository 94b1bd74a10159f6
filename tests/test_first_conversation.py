"""The first thing anyone does: `/tandem help`, a typo, and requests that are not from Slack."""

import time
import urllib.error
import urllib.parse
import urllib.request

from sqlmodel import select

from bot.core.subcommands import SUBCOMMANDS
from storage.models import ProcessedEvent
from tests.support.harness import MENTEE, Harness


def post(url: str, body: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_help_lists_every_subcommand_privately(tandem: Harness) -> None:
    response = tandem.slack.command(MENTEE, "help")
    assert response.status == 200
    answer = response.json
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    shown = answer["text"]
    for sub in SUBCOMMANDS:
        assert sub.usage in shown and sub.summary in shown


def test_bare_command_shows_help(tandem: Harness) -> None:
    response = tandem.slack.command(MENTEE, "")
    assert "/tandem pair @mentor @mentee" in response.json["text"]


def test_unknown_subcommand_gets_a_friendly_hint(tandem: Harness) -> None:
    response = tandem.slack.command(MENTEE, "pari @a @b")
    assert response.status == 200
    text = response.json["text"]
    assert "I don't know `/tandem pari`" in text
    assert "Did you mean `/tandem pair`?" in text
    assert "/tandem help" in text


def test_nonsense_subcommand_still_points_to_help(tandem: Harness) -> None:
    text = tandem.slack.command(MENTEE, "<script>" * 30).json["text"]
    assert "/tandem help" in text and "Did you mean" not in text


def command_body(text: str = "help") -> str:
    return urllib.parse.urlencode(
        {
            "team_id": "T0TANDEM",
            "user_id": MENTEE,
            "command": "/tandem",
            "text": text,
            "channel_id": "C1",
            "trigger_id": "1.2.3",
            "response_url": "http://127.0.0.1:9/x",
        }
    )


def test_bad_signature_is_refused_and_touches_nothing(tandem: Harness) -> None:
    body = command_body()
    headers = tandem.slack.sign(body)
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    assert post(tandem.app_url, body, headers) == 401
    assert tandem.emulator.calls() == []


def test_stale_signature_is_refused(tandem: Harness) -> None:
    body = command_body()
    headers = tandem.slack.sign(body, timestamp=int(time.time()) - 10 * 60)
    assert post(tandem.app_url, body, headers) == 401


def test_unsigned_request_is_refused(tandem: Harness) -> None:
    body = command_body()
    assert post(tandem.app_url, body, {"Content-Type": "application/x-www-form-urlencoded"}) == 401


def test_retried_events_are_handled_once(tandem: Harness) -> None:
    event = {"type": "app_home_opened", "user": MENTEE, "tab": "home", "channel": "D1"}
    first = tandem.slack.event(event, event_id="Ev0001")
    again = tandem.slack.event(event, event_id="Ev0001", retry_num=1)
    assert first.status == 200 and again.status == 200
    tandem.emulator.wait_for("views.publish")
    tandem.slack.open_home(MENTEE)  # a genuinely new event is handled, after the retry
    tandem.emulator.wait_for("views.publish", count=2)
    assert len(tandem.emulator.calls("views.publish")) == 2
    with tandem.session() as session:
        assert len(session.exec(select(ProcessedEvent)).all()) == 2


def test_every_subcommand_in_help_has_a_handler() -> None:
    from handlers.commands.tandem import subcommand_handlers

    assert {sub.name for sub in SUBCOMMANDS} == set(subcommand_handlers())

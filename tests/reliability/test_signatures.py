"""Requests not signed by Slack: refused with 401 before Bolt, nothing written, nothing logged
of what they carried. Bolt alone answered a non-numeric timestamp with HTTP 500 and a traceback,
and logged the whole body of a wrongly signed request at INFO."""

import logging
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.reliability.observe import errors, log_text, report, row_counts
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, TEAM_ID, Harness

MARKER = "SECRET-MARKER-7f3a"
MALFORMED_TIMESTAMPS = [
    "",
    "abc",
    "1.5",
    "-1",
    " 1",
    "1_700_000_000",
    "+5",
    "0x10",
    "9" * 5000,
    "1e9",
]


def agenda_body() -> str:
    """A well-formed `/tandem agenda` carrying private text."""
    return urllib.parse.urlencode(
        {
            "team_id": TEAM_ID,
            "user_id": MENTEE,
            "command": "/tandem",
            "text": f"agenda {MARKER}",
            "channel_id": "D1",
            "trigger_id": "1.2.3",
            "response_url": "http://127.0.0.1:9/never",
        }
    )


def forged_requests(tandem: Harness) -> list[tuple[str, dict[str, str]]]:
    """(what is wrong, headers) for every way a request can fail to be Slack's."""
    body = agenda_body()
    now = int(time.time())
    good = tandem.slack.sign(body)
    cases = [
        (f"timestamp {t[:12]!r}", {**good, "X-Slack-Request-Timestamp": t})
        for t in MALFORMED_TIMESTAMPS
    ]
    cases += [
        ("missing signature", {"X-Slack-Request-Timestamp": str(now)}),
        ("missing timestamp", {"X-Slack-Signature": good["X-Slack-Signature"]}),
        ("wrong signature", {**good, "X-Slack-Signature": "v0=" + "0" * 64}),
        ("garbage signature", {**good, "X-Slack-Signature": "not-a-signature"}),
        ("stale (6 min)", tandem.slack.sign(body, timestamp=now - 6 * 60)),
        ("future (6 min)", tandem.slack.sign(body, timestamp=now + 6 * 60)),
        ("signed for another body", tandem.slack.sign(body + "&x=1")),
    ]
    return cases


def test_unsigned_and_malformed_requests_get_401_and_change_nothing(
    tandem: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    tandem.stop_delivery()
    create_active_pair(tandem)
    tandem.emulator.clear_calls()
    before = row_counts(tandem)
    cases = forged_requests(tandem)
    statuses = {}
    for name, headers in cases:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        statuses[name] = tandem.slack.post(agenda_body(), headers=headers, signed=False).status
    assert statuses == {name: 401 for name, _ in cases}
    assert row_counts(tandem) == before
    assert tandem.emulator.calls() == []
    assert errors(caplog) == []
    assert MARKER not in log_text(caplog)
    report("signatures", forged_requests=len(cases), refused_401=len(cases), written=0)


def test_a_body_that_is_not_utf8_is_refused(tandem: Harness, caplog) -> None:
    caplog.set_level(logging.INFO)
    body = "text=caf\xe9"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    headers.update(tandem.slack.sign(body))
    request = urllib.request.Request(
        tandem.slack.app_url, data=body.encode("latin-1"), headers=headers, method="POST"
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        status = opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 401
    assert errors(caplog) == []


def test_a_genuine_request_still_passes_the_gate(tandem: Harness) -> None:
    create_active_pair(tandem)
    answer = tandem.slack.command(MENTEE, "agenda the promo packet")
    assert answer.status == 200 and "Added to the agenda" in answer.json["text"]

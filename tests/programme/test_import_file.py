"""Bringing pairs in from a CSV file picked in the import modal, over signed HTTP: the file is
fetched from Slack with the bot token (files.info, then its url_private), read as a
spreadsheet saves it, previewed, and proposed only on Send; a file Tandem can't use is an
error on the file field, and a URL in the request is never followed."""

import urllib.request
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.programme.blocks.imports import SEND_ACTION
from storage.models import OutboxMessage, Pair
from tests.programme.helpers import command_modal, text_of
from tests.reflection.helpers import dms, wait_dm
from tests.support.harness import ADMIN, MENTEE, MENTOR, Harness

PAIRS = 300


def submit_file(tandem: Harness, content: bytes, name: str = "pairs.csv") -> Any:
    picked = tandem.emulator.add_shared_file(ADMIN, name, content)
    modal = command_modal(tandem, ADMIN, "admin import")
    return tandem.slack.submit_view(ADMIN, modal, {("file", "value"): [picked]})


def counts(tandem: Harness) -> tuple[int, int]:
    with tandem.session() as session:
        pairs = session.exec(select(func.count()).select_from(Pair)).one()
        asked = session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "pair.proposal")
        ).one()
    return pairs, asked


def test_a_300_line_spreadsheet_is_previewed_then_sent(tandem: Harness) -> None:
    lines = ["\ufeffmentor;mentee;cohort"]  # what Excel saves in much of Europe
    for n in range(PAIRS):
        mentor, mentee = f"UMR{n:04d}", f"UME{n:04d}"
        tandem.emulator.add_user(mentor, f"mentor{n}", tz="Europe/Paris")
        tandem.emulator.add_user(mentee, f"mentee{n}", tz="Europe/Paris", email=f"me{n}@x.org")
        named_mentee = f"me{n}@x.org" if n % 3 else mentee
        lines.append(f"{mentor};{named_mentee};{'Autumn' if n < 200 else 'Winter'}")
    lines.append("UMR0000;UMR0000;Autumn")
    response = submit_file(tandem, "\r\n".join(lines).encode())
    assert response.ok and response.json["response_action"] == "update", response.body
    assert "Checking 301 lines" in text_of(response.json["view"])

    # The preview checks 600 people (the member list paged, see test_import_lookups.py) and
    # tries every line: 10-20 s on a quiet machine, more on a CI machine running four workers
    # on two cores.
    preview = text_of(wait_dm(tandem, ADMIN, "Import preview", timeout=90))
    assert "300 pairs valid, ready to propose, 1 line refused" in preview
    assert "By cohort: Autumn 200, Winter 100" in preview
    assert "line 302: <@UMR0000> is named as both mentor and mentee" in preview
    assert "Send 300 proposals" in preview
    [download] = tandem.emulator.calls("file_download")
    assert download.args["authorised"]  # fetched with the bot token from files.info's link
    assert counts(tandem) == (0, 0)

    message = next(m for m in dms(tandem, ADMIN) if "Import preview" in (m.get("text") or ""))
    looked_up = [len(tandem.emulator.calls(m)) for m in ("users.info", "users.lookupByEmail")]
    tandem.stop_delivery()  # what Send queues is counted below; sending 600 proves nothing more
    tandem.slack.click_button_in(message, ADMIN, action_id=SEND_ACTION)
    tandem.emulator.wait_for("chat.update")
    assert counts(tandem) == (PAIRS, 2 * PAIRS)
    # The preview remembered everyone: Send asks Slack about no one again.
    assert [len(tandem.emulator.calls(m)) for m in ("users.info", "users.lookupByEmail")] == (
        looked_up
    )


def test_a_file_tandem_cannot_use_is_an_error_on_the_file_field(tandem: Harness) -> None:
    wrong = submit_file(tandem, b"name,email\nMaya,maya@example.com\n")
    assert wrong.json["response_action"] == "errors"
    assert "mentor,mentee" in wrong.json["errors"]["file"]
    latin = submit_file(tandem, "mentor,mentee\nJosé,U0B\n".encode("cp1252"))
    assert "CSV UTF-8" in latin.json["errors"]["file"]
    huge = submit_file(tandem, b"mentor,mentee\n" + b"U0AAAAAAA,U0BBBBBBB\n" * 60_000)
    assert "at most 1 MB" in huge.json["errors"]["file"]
    both = tandem.emulator.add_shared_file(
        ADMIN, "pairs.csv", f"mentor,mentee\n{MENTOR},{MENTEE}".encode()
    )
    modal = command_modal(tandem, ADMIN, "admin import")
    answer = tandem.slack.submit_view(
        ADMIN, modal, {("file", "value"): [both], ("lines", "value"): f"{MENTOR},{MENTEE}"}
    )
    assert "not both" in answer.json["errors"]["lines"]
    assert counts(tandem) == (0, 0)


def test_a_url_in_the_request_is_never_followed(tandem: Harness) -> None:
    modal = command_modal(tandem, ADMIN, "admin import")
    crafted = {"id": "FNOSUCHFILE", "url_private": "http://169.254.169.254/latest/meta-data"}
    state = {"values": {"file": {"value": {"type": "file_input", "files": [crafted]}}}}
    response = tandem.slack.submit_crafted(ADMIN, modal, state)
    assert response.json["response_action"] == "errors"
    assert "file_not_found" in response.json["errors"]["file"]
    assert tandem.emulator.calls("file_download") == []


def test_the_emulator_hands_a_file_only_to_the_bot_token(tandem: Harness) -> None:
    picked = tandem.emulator.add_shared_file(ADMIN, "pairs.csv", b"mentor,mentee\n")
    with urllib.request.urlopen(picked["url_private"], timeout=5) as anonymous:
        assert "text/html" in anonymous.headers["Content-Type"]  # Slack's sign-in page
    request = urllib.request.Request(
        picked["url_private"], headers={"Authorization": f"Bearer {tandem.emulator.token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as authorised:
        assert authorised.read() == b"mentor,mentee\n"
